// Runs after archetype:generate wrote the project, in batch and interactive mode alike (validationRegex in
// archetype-metadata.xml only checks interactive answers). A value the build or Nuclio would reject removes
// what was generated and fails generation with the rule, so a rerun with a fixed value starts clean.

def props = request.getProperties()
def functionName = props.getProperty('functionName')
def className = props.getProperty('className')
def description = props.getProperty('description')
def project = new File(request.getOutputDirectory(), request.getArtifactId())
def packagePath = request.getPackage().replace('.', '/')

// The rules cvat:spec applies, for a name that deploys on every platform (Kubernetes included): cvat:lint's
// name-format, name-length, name-kube and name-reserved (NuclioNames in the plugin, which this script cannot load).
def nameRules = "use lower-case letters, digits and '-' only, starting and ending with a letter or digit " +
    "(no upper case, dots or underscores), at most 56 characters"
def problems = []
if (!(functionName ==~ /[a-z0-9]([-a-z0-9]*[a-z0-9])?/)) {
  def suggestion = functionName.toLowerCase().replaceAll(/[^a-z0-9-]+/, '-').replaceAll(/-+/, '-')
      .replaceAll(/^-|-$/, '').take(56).replaceAll(/-$/, '')
  problems << "functionName '${functionName}' is not a valid Nuclio function name: ${nameRules}" +
      (suggestion ? ", e.g. -DfunctionName=${suggestion}" : '')
} else if (functionName.length() > 56) {
  problems << "functionName '${functionName}' has ${functionName.length()} characters; Nuclio's container and " +
      "service names fit at most 56: shorten it"
} else if (functionName in ['dashboard', 'controller', 'dlx', 'scaler']) {
  problems << "functionName '${functionName}' is reserved by Nuclio: choose another name"
}
def javaKeywords = ('abstract assert boolean break byte case catch char class const continue default do double else ' +
    'enum extends final finally float for goto if implements import instanceof int interface long native new ' +
    'package private protected public return short static strictfp super switch synchronized this throw throws ' +
    'transient try void volatile while true false null var yield record sealed permits').split(' ') as Set
if (!(className ==~ /[A-Za-z_][A-Za-z0-9_]*/) || className in javaKeywords || className == '_') {
  problems << "className '${className}' is not a Java class name: pass one with -DclassName=..., e.g. " +
      "-DclassName=MyDetector"
}
def packageParts = request.getPackage().split('\\.', -1) as List
if (packageParts.any { !(it ==~ /[A-Za-z_][A-Za-z0-9_]*/) || it in javaKeywords }) {
  problems << "package '${request.getPackage()}' is not a Java package name: pass one with -Dpackage=..., e.g. " +
      "-Dpackage=com.example.detectors"
}
if (description == null || description.isBlank()) {
  problems << "description is empty: CVAT's model list fails when a function has none; pass -Ddescription=\"...\""
}

if (problems) {
  // Everything the archetype writes (kept in step with archetype-metadata.xml; the rejected-name IT checks that
  // nothing is left). Files that were in the directory before are left alone.
  def generated = ['pom.xml', 'README.md', '.gitignore', 'mvnw', 'mvnw.cmd', '.mvn/wrapper/maven-wrapper.properties',
      '.github/workflows/deploy.yml', "src/main/java/${packagePath}/${className}.java",
      "src/test/java/${packagePath}/${className}Test.java", 'src/test/resources/logback-test.xml',
      'src/test/resources/frames/README.md']
  generated.each { new File(project, it.toString()).delete() }
  // Empty directories, deepest first, then the project directory itself if nothing else is in it.
  def dirs = []
  project.eachFileRecurse(groovy.io.FileType.DIRECTORIES) { dirs << it }
  dirs.sort { -it.path.length() }.each { if (it.list().length == 0) it.delete() }
  if (project.list()?.length == 0) {
    project.delete()
  }
  throw new IllegalArgumentException("cvat-function-archetype: " + problems.join('; ') + ". Nothing was generated.")
}

// The archetype does not keep file modes.
new File(project, 'mvnw').setExecutable(true, false)
