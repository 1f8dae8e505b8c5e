// A YOLO-cls model given to a generated project: the generated test passes on one tag a frame, and cvat:spec
// declares tag labels, each with the confidence attribute.
File projectDir = context.projectDir // the generated project; basedir is this script's directory
def checks = new GroovyShell(getClass().classLoader).parse(new File(projectDir, '../../../checks.groovy'))
String packagePath = 'com/example/vision'
String className = 'ShapesClassifier'

checks.checkGeneratedAndBuiltWithoutModel(projectDir, packagePath, className, 'shapes-classifier')

def spec = checks.buildWithModel(projectDir, packagePath, className,
    'cvat-function-test-fixtures/src/main/resources/fixtures/models/shapes-yolov8n-cls.torchscript',
    'cvat-function-test-fixtures/src/main/resources/fixtures/cls-frames/frames')
assert spec.metadata.name == 'shapes-classifier'
checks.checkLabels(spec, 'tag')
