def log = new File(basedir, 'build.log').text
assert log.contains('cvat/image.json: run cvat:image first')
assert log.contains('BUILD FAILURE')
