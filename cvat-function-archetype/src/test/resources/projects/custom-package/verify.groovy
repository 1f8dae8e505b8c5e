// A package of its own, a functionName cleaned up from an awkward artifactId, a description that needs escaping;
// then the newcomer's next step: the model and two frames go in, and the build tests the detector on them.
import groovy.xml.XmlSlurper
import groovy.yaml.YamlSlurper
import java.nio.file.Files
import java.nio.file.StandardCopyOption

File projectDir = context.projectDir // the generated project; basedir is this script's directory
def checks = new GroovyShell(getClass().classLoader).parse(new File(projectDir, '../../../checks.groovy'))
String packagePath = 'org/acme/vision/cvat/helmets'
String className = 'HelmetFinderDetector'

checks.checkGenerated(projectDir, packagePath, className, 'helmet-finder')
checks.checkBuiltWithoutModel(projectDir, className)
assert new File(projectDir, "src/main/java/${packagePath}/${className}.java").text
    .contains('description = "Finds \\"hard hats\\" & <vests> \\\\ on sites",')
assert new File(projectDir, 'pom.xml').text
    .contains('<description>Finds "hard hats" &amp; &lt;vests&gt; \\ on sites</description>')

// The sample's model as best.torchscript, and two of its frames.
File root = checks.repositoryRoot(projectDir)
File sample = new File(root, 'samples/shapes-detector/src')
File models = new File(projectDir, 'src/main/resources/models')
models.mkdirs()
Files.copy(new File(sample, 'main/resources/models/shapes-yolov8n.torchscript').toPath(),
    new File(models, 'best.torchscript').toPath(), StandardCopyOption.REPLACE_EXISTING)
['000.jpg', '009.jpg'].each {
  Files.copy(new File(sample, "test/resources/frames/${it}").toPath(),
      new File(projectDir, "src/test/resources/frames/${it}").toPath(), StandardCopyOption.REPLACE_EXISTING)
}

// Same Maven, same local repository; offline, since the first build resolved everything this one needs.
boolean windows = System.getProperty('os.name').toLowerCase().contains('win')
def command = [new File(System.getProperty('maven.home'), windows ? 'bin/mvn.cmd' : 'bin/mvn').path, '-B', '-o', 'verify']
if (System.getProperty('maven.repo.local')) {
  command << "-Dmaven.repo.local=${System.getProperty('maven.repo.local')}".toString()
}
File log = new File(projectDir, 'build-with-model.log')
def process = new ProcessBuilder(command).directory(projectDir).redirectErrorStream(true).redirectOutput(log).start()
int status = process.waitFor()
assert status == 0 : "mvn verify with the model failed (${status}); see ${log}:\n" + log.readLines().takeRight(40).join('\n')

// The detector test ran on both frames, nothing skipped.
def report = new XmlSlurper().parse(new File(projectDir,
    "target/surefire-reports/TEST-${packagePath.replace('/', '.')}.${className}Test.xml"))
assert report.@tests.text() == '3' && report.@skipped.text() == '0' && report.@failures.text() == '0' &&
    report.@errors.text() == '0' : "tests=${report.@tests} skipped=${report.@skipped} failures=${report.@failures} errors=${report.@errors}"

// cvat:spec ran: the function's name, description and handler, the model's labels.
def spec = new YamlSlurper().parse(new File(projectDir, 'target/cvat/function-gpu.yaml'))
assert spec.metadata.name == 'helmet-finder'
assert spec.spec.description == 'Finds "hard hats" & <vests> \\ on sites'
assert spec.spec.handler == "org.acme.vision.cvat.helmets.${className}".toString()
assert spec.spec.resources.limits.'nvidia.com/gpu' == 1
def labels = new groovy.json.JsonSlurper().parseText(spec.metadata.annotations.spec)
assert labels == [[id: 0, name: 'circle', type: 'rectangle'], [id: 1, name: 'square', type: 'rectangle'],
                  [id: 2, name: 'triangle', type: 'rectangle']]
assert new File(projectDir, 'target/cvat/function.yaml').isFile()
