// A YOLO-seg model given to a generated project, as its README says: the generated test passes on masks and
// cvat:spec declares mask labels, each with the confidence attribute.
File projectDir = context.projectDir // the generated project; basedir is this script's directory
def checks = new GroovyShell(getClass().classLoader).parse(new File(projectDir, '../../../checks.groovy'))
String packagePath = 'com/example/vision'
String className = 'ShapesSegmenter'

checks.checkGeneratedAndBuiltWithoutModel(projectDir, packagePath, className, 'shapes-segmenter')

def spec = checks.buildWithModel(projectDir, packagePath, className,
    'cvat-function-test-fixtures/src/main/resources/fixtures/models/shapes-yolov8n-seg.torchscript')
assert spec.metadata.name == 'shapes-segmenter'
checks.checkLabels(spec, 'mask')
