package org.vitals.cds.hooks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which service, patient and topic each recently issued card uuid belonged to, so that
 * stored feedback says what it was about (feedback only carries the card uuid). Bounded LRU.
 */
public final class IssuedCards {

  /** What a card was about. */
  public record Issued(String service, String patientId, String topic, String indicator) {}

  private final Map<String, Issued> cards =
      Collections.synchronizedMap(
          new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Issued> eldest) {
              return size() > 100_000;
            }
          });

  public void remember(String uuid, Issued issued) {
    cards.put(uuid, issued);
  }

  public Issued get(String uuid) {
    return cards.get(uuid);
  }
}
