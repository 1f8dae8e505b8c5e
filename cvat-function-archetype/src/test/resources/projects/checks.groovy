// Checks shared by the archetype ITs' verify.groovy scripts (loaded with GroovyShell.parse, called as methods).
import groovy.json.JsonSlurper
import groovy.xml.XmlSlurper
import groovy.yaml.YamlSlurper
import java.nio.file.Files
import java.nio.file.StandardCopyOption

/** This repository's root: the directory above the archetype module, found from the generated project. */
File repositoryRoot(File projectDir) {
  for (File dir = projectDir.canonicalFile; dir != null; dir = dir.parentFile) {
    File pom = new File(dir, 'pom.xml')
    if (pom.isFile() && new XmlSlurper().parse(pom).artifactId.text() == 'cvat-function-archetype') {
      return dir.parentFile
    }
  }
  throw new AssertionError("no cvat-function-archetype module above ${projectDir}")
}

/** What archetype:generate wrote, with every template property and build-time version resolved. */
void checkGenerated(File projectDir, String packagePath, String className, String functionName) {
  def expectedFiles = ['pom.xml', 'README.md', '.gitignore', 'mvnw', 'mvnw.cmd', '.mvn/wrapper/maven-wrapper.properties',
      '.github/workflows/deploy.yml', "src/main/java/${packagePath}/${className}.java",
      "src/test/java/${packagePath}/${className}Test.java", 'src/test/resources/logback-test.xml',
      'src/test/resources/frames/README.md']
  expectedFiles.each { assert new File(projectDir, it.toString()).isFile() : "${it} was not generated" }
  assert new File(projectDir, 'mvnw').canExecute() : 'mvnw is not executable'

  // Nothing left for Velocity or for the archetype's own build-time filtering.
  ['pom.xml', 'README.md', "src/main/java/${packagePath}/${className}.java",
   "src/test/java/${packagePath}/${className}Test.java"].each { name ->
    String text = new File(projectDir, name.toString()).text
    ['${artifactId}', '${groupId}', '${package}', '${className}', '${functionName}', '${description}',
     '$xmlDescription', '$javaDescription', '#set', '@project.version@', '.version@'].each { token ->
      assert !text.contains(token) : "${name} still contains ${token}"
    }
  }

  String source = new File(projectDir, "src/main/java/${packagePath}/${className}.java").text
  assert source.contains("package ${packagePath.replace('/', '.')};")
  assert source.contains("name = \"${functionName}\",")
  assert source.contains('confidenceAttribute = "confidence",')
  assert source.contains('model = "classpath:models/best.torchscript")')
  assert source.contains("public class ${className} extends YoloDetector {}")
  String readme = new File(projectDir, 'README.md').text
  assert readme.contains('yolo export model=best.pt format=torchscript imgsz=640')
  assert readme.contains("src/main/java/${packagePath}/${className}.java")

  // The runtime and plugin at this archetype's version; every plugin at the version this repository pins.
  File root = repositoryRoot(projectDir)
  def rootPom = new XmlSlurper().parse(new File(root, 'pom.xml'))
  def pom = new XmlSlurper().parse(new File(projectDir, 'pom.xml'))
  assert pom.parent.size() == 0 : 'the generated project must stand alone, without a parent'
  assert pom.properties.'cvat.function.version'.text() == rootPom.version.text()
  assert pom.properties.'junit.version'.text() == rootPom.properties.'junit.version'.text()
  assert pom.properties.'maven.compiler.release'.text() == '17'
  assert pom.properties.'project.build.sourceEncoding'.text() == 'UTF-8'
  def pinned = rootPom.build.pluginManagement.plugins.plugin.collectEntries { [(it.artifactId.text()): it.version.text()] }
  def generated = pom.build.pluginManagement.plugins.plugin
  assert generated.size() > 0
  generated.each { plugin ->
    String artifactId = plugin.artifactId.text()
    assert pinned.containsKey(artifactId) : "${artifactId} is pinned in the generated pom but not in ${root}/pom.xml"
    assert plugin.version.text() == pinned[artifactId] :
        "${artifactId} is ${plugin.version.text()} in the generated pom but ${pinned[artifactId]} in ${root}/pom.xml: " +
        "update generated.${artifactId}.version in cvat-function-archetype/pom.xml"
  }
  def cvat = pom.build.plugins.plugin.find { it.artifactId.text() == 'cvat-function-maven-plugin' }
  assert cvat.version.text() == '${cvat.function.version}'
  assert cvat.executions.execution.goals.goal*.text() == ['spec']
}

/** What archetype:generate wrote, and its first build, before any model is there. */
void checkGeneratedAndBuiltWithoutModel(File projectDir, String packagePath, String className, String functionName) {
  checkGenerated(projectDir, packagePath, className, functionName)
  checkBuiltWithoutModel(projectDir, className)
}

/** The first build, before any model is there: it passes, and says why the test and cvat:spec did not run. */
void checkBuiltWithoutModel(File projectDir, String className) {
  String log = new File(projectDir, 'build.log').text
  assert log.contains('BUILD SUCCESS')
  assert log.contains('cvat:spec skipped')
  assert log.contains("No model yet, ${className}Test is skipped (and cvat:spec too): put your best.torchscript in " +
      'src/main/resources/models to run this test: yolo export model=best.pt format=torchscript imgsz=640')
  assert !new File(projectDir, 'target/cvat').exists()
}

/**
 * The newcomer's next step: the model goes in as best.torchscript with two frames (the sample's, or a fixture set's
 * of the model's task), and `mvn verify` tests the detector on them, every test run, none skipped. Returns the
 * generated function-gpu.yaml.
 *
 * @param model the model file, relative to this repository's root
 * @param frames the folder of the frames 000.jpg and 009.jpg, relative to this repository's root
 */
def buildWithModel(File projectDir, String packagePath, String className, String model,
    String frames = 'samples/shapes-detector/src/test/resources/frames') {
  File root = repositoryRoot(projectDir)
  File models = new File(projectDir, 'src/main/resources/models')
  models.mkdirs()
  Files.copy(new File(root, model).toPath(), new File(models, 'best.torchscript').toPath(),
      StandardCopyOption.REPLACE_EXISTING)
  ['000.jpg', '009.jpg'].each {
    Files.copy(new File(root, "${frames}/${it}").toPath(),
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
  return new YamlSlurper().parse(new File(projectDir, 'target/cvat/function-gpu.yaml'))
}

/** The labels of a generated spec, each with the confidence attribute the generated class declares. */
void checkLabels(spec, String type, List<String> names = ['circle', 'square', 'triangle']) {
  def confidence = [[name: 'confidence', input_type: 'number', values: ['0', '100', '1'], default_value: '0']]
  def labels = new JsonSlurper().parseText(spec.metadata.annotations.spec)
  def expected = names.withIndex().collect { name, id -> [id: id, name: name, type: type, attributes: confidence] }
  if (type != 'skeleton') {
    assert labels == expected
    return
  }
  // A skeleton label: its keypoints as points sublabels, and CVAT's drawing of them.
  assert labels.collect { label -> label.findAll { it.key != 'sublabels' && it.key != 'svg' } } == expected
  labels.each { label ->
    assert label.sublabels && label.sublabels.every { it.type == 'points' } :
        "${label.name}: a skeleton's sublabels are its keypoints, of type points: ${label.sublabels}"
    assert label.svg instanceof String && label.svg.contains('<circle') : "${label.name}: no svg drawing: ${label.svg}"
  }
}

/**
 * A pose model's skeleton labels (checkLabels checks the rest): each names the keypoints, in the model's order, as its points sublabels, and its
 * svg draws one circle a keypoint and one line an edge (CVAT's data-node-id, data-label-name and
 * data-node-from/-to), the edges undirected.
 */
void checkSkeletons(spec, List<String> keypoints, List<List<String>> edges) {
  new JsonSlurper().parseText(spec.metadata.annotations.spec).each { label ->
    assert label.sublabels*.name == keypoints : "${label.name}: sublabels ${label.sublabels*.name}"
    Map<String, String> nodes = [:]
    (label.svg =~ /<circle\b[^>]*>/).each { String circle ->
      nodes[attribute(circle, 'data-node-id')] = attribute(circle, 'data-label-name')
    }
    assert nodes.size() == keypoints.size() && nodes.values() as Set == keypoints as Set :
        "${label.name}: the svg's circles ${nodes} are not one a keypoint ${keypoints}"
    def lines = (label.svg =~ /<line\b[^>]*>/).collect { String line ->
      assert attribute(line, 'data-type') == 'edge' : "${label.name}: ${line}"
      [nodes[attribute(line, 'data-node-from')], nodes[attribute(line, 'data-node-to')]] as Set
    }
    assert lines as Set == edges.collect { it as Set } as Set && lines.size() == edges.size() :
        "${label.name}: the svg's edges ${lines} are not ${edges}"
  }
}

/** The value of one attribute of an svg element's start tag. */
String attribute(String tag, String name) {
  def match = tag =~ /\s${name}="([^"]*)"/
  assert match.find() : "no ${name} in ${tag}"
  return match.group(1)
}
