// Defaults only: functionName from the artifactId, className from functionName, a description; built without a model.
File projectDir = context.projectDir // the generated project; basedir is this script's directory
def checks = new GroovyShell(getClass().classLoader).parse(new File(projectDir, '../../../checks.groovy'))

checks.checkGeneratedAndBuiltWithoutModel(projectDir, 'com/example', 'MyDetector', 'my-detector')
assert new File(projectDir, 'src/main/java/com/example/MyDetector.java').text
    .contains('description = "YOLO detector my-detector",')
assert new File(projectDir, 'pom.xml').text.contains('<description>YOLO detector my-detector</description>')
