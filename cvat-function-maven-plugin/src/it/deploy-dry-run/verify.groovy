def log = new File(basedir, 'build.log').text
def yaml = new File(basedir, 'cvat/function-gpu.yaml').canonicalPath
def image = 'registry.example.com:5000/shapes-detector@sha256:3f1c6b2e9a0d4c5b8e7f6a5d4c3b2a1908f7e6d5c4b3a29181706f5e4d3c2b1a'
def handler = 'io.cvatfunction.samples.shapes.ShapesDetector'

// local: the defaults of every parameter
assert log.contains('[INFO]   nuctl get project cvat --platform local\n')
assert log.contains('[INFO]   nuctl create project cvat --platform local\n')
assert log.contains("[INFO]   nuctl deploy shapes-detector --run-image ${image} --runtime java --handler ${handler}" +
    " --file ${yaml} --platform local --project-name cvat" +
    " --platform-config '{\"attributes\":{\"network\":\"cvat_cvat\"}}' --readiness-timeout 300\n")
assert log.contains('[INFO]   # repeated until the state is ready, for at most 900 s:')

// kube: the namespace, both registries, and the image given relative to the run registry
assert log.contains("[INFO]   /opt/nuclio/nuctl deploy shapes-detector" +
    " --run-image shapes-detector@sha256:3f1c6b2e9a0d4c5b8e7f6a5d4c3b2a1908f7e6d5c4b3a29181706f5e4d3c2b1a" +
    " --runtime java --handler ${handler} --file ${yaml} --platform kube --namespace cvat --project-name cvat" +
    " --registry registry.example.com:5000 --run-registry registry.internal:5000 --readiness-timeout 300\n")

assert log.count('cvat:deploy: dry run, 1 function(s), nothing deployed') == 2

// kube without a namespace: refused, naming the namespace CVAT reads and how to find it
assert log.contains("cvat.deploy.namespace is not set: on Kubernetes CVAT lists the functions of the namespace its " +
    "Helm release is installed in (the server's CVAT_NUCLIO_FUNCTION_NAMESPACE), not nuclio. Find it in the " +
    "NAMESPACE column of 'helm list --all-namespaces' (the cvat release), then pass -Dcvat.deploy.namespace=<that " +
    "namespace>")
assert log.contains('BUILD FAILURE')
assert !log.contains('--path')
