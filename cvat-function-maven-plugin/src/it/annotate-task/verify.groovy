import io.cvatfunction.runtime.Fixtures

def standIn = System.getProperties().remove('cvat.it.standIn')
def task = System.getProperties().remove('cvat.it.task')
try {
  def log = new File(basedir, 'build.log').text
  // the dry run wrote CVAT's JSON and uploaded nothing; the real run uploaded every frame once
  def dryRun = new groovy.json.JsonSlurper().parse(new File(basedir, "target/cvat/annotations-${task.id()}.json"))
  def expected = Fixtures.FRAMES.collect { Fixtures.reference('shapes-yolov8n', it).size() }
  assert dryRun.shapes.size() == expected.sum()
  assert log.contains('dry run: wrote CVAT\'s annotations to')
  def perFrame = task.shapes().groupBy { it.get('frame').asInt() }
  (0..11).each { frame -> assert (perFrame[frame]?.size() ?: 0) == expected[frame] : "frame ${frame}" }
  assert log.contains('[INFO] [####################] 12/12 frames')
  assert log.contains("[INFO] annotated 12 frames of task ${task.id()}")
  assert log.contains('BUILD SUCCESS')
  assert !log.contains('it-token-5c2e91')
  assert !new File(basedir, "target/cvat/annotate-${task.id()}.resume").exists()
} finally {
  standIn?.close()
}
return true
