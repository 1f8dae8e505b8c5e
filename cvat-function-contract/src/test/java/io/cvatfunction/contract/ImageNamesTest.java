package io.cvatfunction.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageNamesTest {

  @Test
  void aDotAPortOrLocalhostNamesARegistry() {
    assertEquals(Optional.of("registry.example.com"), ImageNames.registryHost("registry.example.com/team/app:1"));
    assertEquals(Optional.of("registry.example.com:5000"), ImageNames.registryHost("registry.example.com:5000/app"));
    assertEquals(Optional.of("host:5000"), ImageNames.registryHost("host:5000/app"));
    assertEquals(Optional.of("localhost"), ImageNames.registryHost("localhost/app"));
  }

  @Test
  void anythingElseIsDockerHub() {
    for (String image : new String[] {"app", "app:1.0", "team/app", "team/app:1.0", "library/ubuntu"}) {
      assertEquals(Optional.empty(), ImageNames.registryHost(image), image);
    }
  }
}
