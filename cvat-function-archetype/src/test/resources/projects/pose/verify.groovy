// A YOLO-pose model given to a generated project with a keypoints.txt beside it, as its README says: the generated
// test passes on skeletons, and cvat:spec declares skeleton labels whose points sublabels and svg are the file's
// keypoints and edges, each label with the confidence attribute.
File projectDir = context.projectDir // the generated project; basedir is this script's directory
def checks = new GroovyShell(getClass().classLoader).parse(new File(projectDir, '../../../checks.groovy'))
String packagePath = 'com/example/vision'
String className = 'ShapesPose'

checks.checkGeneratedAndBuiltWithoutModel(projectDir, packagePath, className, 'shapes-pose')

// The fixture model names no keypoints (no kpt_names): they are, in its order, tip, tail, left, right.
File models = new File(projectDir, 'src/main/resources/models')
models.mkdirs()
new File(models, 'keypoints.txt').text = '''# shapes-yolov8n-pose: one keypoint a line, in the model's order, then the edges
tip
tail
left
right

tip - tail
left - right
'''
def spec = checks.buildWithModel(projectDir, packagePath, className,
    'cvat-function-test-fixtures/src/main/resources/fixtures/models/shapes-yolov8n-pose.torchscript',
    'cvat-function-test-fixtures/src/main/resources/fixtures/pose-frames/frames')
assert spec.metadata.name == 'shapes-pose'
checks.checkLabels(spec, 'skeleton', ['arrow', 'kite'])
checks.checkSkeletons(spec, ['tip', 'tail', 'left', 'right'], [['tip', 'tail'], ['left', 'right']])
