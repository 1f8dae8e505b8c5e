def log = new File(basedir, 'build.log').text
assert log.contains('cannot reach http://127.0.0.1:9/ (connection refused): is the function running?')
assert !new File(basedir, 'target/cvat/invoke.png').exists()
