def log = new File(basedir, 'build.log').text
// Every problem, with file and line, and the rule that found it.
assert log =~ /function-gpu\.yaml:2: error \[name-comment\] metadata\.name/
assert log =~ /broken\.yaml:2: error \[name-format\] metadata\.name/
assert log =~ /broken\.yaml:4: error \[annotation-type\]/
assert log =~ /broken\.yaml:5: error \[attribute-fields\]/
assert log =~ /broken\.yaml:5: error \[label-duplicate\]/
assert log =~ /broken\.yaml:9: error \[description\] spec\.description/
assert log =~ /broken\.yaml:11: error \[event-timeout\]/
assert log =~ /broken\.yaml:15: warning \[max-workers\]/
assert log =~ /broken\.yaml:14: warning \[max-request-body-size\]/
assert log.contains('cvat:lint: 2 file(s), 7 error(s), 2 warning(s)')
