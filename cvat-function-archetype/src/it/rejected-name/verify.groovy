// Each rejected generation names the rule and leaves nothing behind, so a rerun with a fixed value starts clean.
def log = new File(basedir, 'build.log').text

assert log.contains("functionName 'My_Detector' is not a valid Nuclio function name: use lower-case letters, digits " +
    "and '-' only, starting and ending with a letter or digit (no upper case, dots or underscores), at most 56 " +
    "characters, e.g. -DfunctionName=my-detector. Nothing was generated.")
assert !new File(basedir, 'my-detector').exists()

// The default functionName comes from the artifactId: 61 characters.
assert log.contains("functionName 'a-detector-whose-name-is-far-too-long-for-nuclio-to-accept-it' has 61 characters; " +
    "Nuclio's container and service names fit at most 56: shorten it")
assert !new File(basedir, 'a-detector-whose-name-is-far-too-long-for-nuclio-to-accept-it').exists()

// A valid function name whose default class name is not a Java name.
assert log.contains("className '3dBoxesDetector' is not a Java class name: pass one with -DclassName=..., e.g. " +
    "-DclassName=MyDetector")
assert !new File(basedir, 'yolo').exists()

assert log.count('BUILD FAILURE') == 3
