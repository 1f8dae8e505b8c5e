def log = new File(basedir, 'build.log').text
assert log.contains('no class annotated with @CvatFunction')
assert log.contains('annotate your handler class')
