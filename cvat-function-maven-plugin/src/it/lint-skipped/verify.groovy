def log = new File(basedir, 'build.log').text
assert log.contains('cvat:lint skipped')
assert !log.contains('error [')
