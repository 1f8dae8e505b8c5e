def gpu = new File(basedir, 'target/cvat/function-gpu.yaml')
def cpu = new File(basedir, 'target/cvat/function.yaml')
assert gpu.isFile() && cpu.isFile()
def text = gpu.text
assert text.contains('name: it-shapes')
assert text.contains('{"id":0,"name":"circle","type":"rectangle"}')
assert text.contains('{"id":2,"name":"triangle","type":"rectangle"}')
assert text.contains('handler: com.example.ShapesDetector')
assert text.contains('nvidia.com/gpu: 1')
assert !cpu.text.contains('nvidia.com/gpu')
def log = new File(basedir, 'build.log').text
assert log.contains('cvat:lint: 2 file(s), 0 error(s), 0 warning(s)')
