// A package of its own, a functionName cleaned up from an awkward artifactId, a description that needs escaping;
// then the newcomer's next step: the model and two frames go in, and the build tests the detector on them.
File projectDir = context.projectDir // the generated project; basedir is this script's directory
def checks = new GroovyShell(getClass().classLoader).parse(new File(projectDir, '../../../checks.groovy'))
String packagePath = 'org/acme/vision/cvat/helmets'
String className = 'HelmetFinderDetector'

checks.checkGeneratedAndBuiltWithoutModel(projectDir, packagePath, className, 'helmet-finder')
assert new File(projectDir, "src/main/java/${packagePath}/${className}.java").text
    .contains('description = "Finds \\"hard hats\\" & <vests> \\\\ on sites",')
assert new File(projectDir, 'pom.xml').text
    .contains('<description>Finds "hard hats" &amp; &lt;vests&gt; \\ on sites</description>')

// The sample's model as best.torchscript, and two of its frames.
def spec = checks.buildWithModel(projectDir, packagePath, className,
    'samples/shapes-detector/src/main/resources/models/shapes-yolov8n.torchscript')

// cvat:spec ran: the function's name, description and handler, the model's labels.
assert spec.metadata.name == 'helmet-finder'
assert spec.spec.description == 'Finds "hard hats" & <vests> \\ on sites'
assert spec.spec.handler == "org.acme.vision.cvat.helmets.${className}".toString()
assert spec.spec.resources.limits.'nvidia.com/gpu' == 1
checks.checkLabels(spec, 'rectangle')
assert new File(projectDir, 'target/cvat/function.yaml').isFile()
