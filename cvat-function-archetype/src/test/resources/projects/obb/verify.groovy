// A YOLO-obb model given to a generated project: the generated test passes on turned rectangles, and cvat:spec
// declares rectangle labels, each with the confidence attribute.
File projectDir = context.projectDir // the generated project; basedir is this script's directory
def checks = new GroovyShell(getClass().classLoader).parse(new File(projectDir, '../../../checks.groovy'))
String packagePath = 'com/example/vision'
String className = 'ShapesObbDetector'

checks.checkGeneratedAndBuiltWithoutModel(projectDir, packagePath, className, 'shapes-obb')

def spec = checks.buildWithModel(projectDir, packagePath, className,
    'cvat-function-test-fixtures/src/main/resources/fixtures/models/shapes-yolov8n-obb.torchscript',
    'cvat-function-test-fixtures/src/main/resources/fixtures/obb-frames/frames')
assert spec.metadata.name == 'shapes-obb'
checks.checkLabels(spec, 'rectangle', ['plate', 'bar', 'card'])
