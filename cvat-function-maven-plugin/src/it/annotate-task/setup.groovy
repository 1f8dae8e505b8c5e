import io.cvatfunction.runtime.cvat.CvatStandIn
import io.cvatfunction.runtime.cvat.StandInTasks

// A CVAT stand-in on loopback in the invoker's JVM, kept in the system properties for verify.groovy to read and stop.
def standIn = new CvatStandIn().user('annotator', 'unused-password').accessToken('annotator', 'it-token-5c2e91')
def task = StandInTasks.shapes(standIn, null, 1, 5, [] as Set, StandInTasks.shapesLabels('rectangle'))
System.getProperties().put('cvat.it.standIn', standIn)
System.getProperties().put('cvat.it.task', task)
def mvn = new File(basedir, '.mvn')
mvn.mkdirs()
new File(mvn, 'maven.config').text = "-Dcvat.annotate.url=${standIn.url()}\n-Dcvat.annotate.task=${task.id()}\n"
return true
