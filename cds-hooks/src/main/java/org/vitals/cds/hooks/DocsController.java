package org.vitals.cds.hooks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the documents cards cite as their source: the model cards shipped in the jar and the rule
 * description (docs/cds-hooks.md), so every card's source URL resolves.
 */
@RestController
public class DocsController {

  @GetMapping("/model-cards/{name:[a-z0-9-]+\\.md}")
  public ResponseEntity<String> modelCard(@PathVariable String name) throws IOException {
    return markdown("model-cards/" + name);
  }

  @GetMapping("/docs/cds-hooks.md")
  public ResponseEntity<String> rules() throws IOException {
    return markdown("docs/cds-hooks.md");
  }

  private static ResponseEntity<String> markdown(String path) throws IOException {
    ClassPathResource r = new ClassPathResource(path);
    if (!r.exists()) {
      return ResponseEntity.notFound().build();
    }
    try (InputStream in = r.getInputStream()) {
      return ResponseEntity.ok()
          .contentType(new MediaType("text", "markdown", StandardCharsets.UTF_8))
          .body(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
