package org.vitals.cds.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of CDS Hooks 2.0 (discovery, cards, suggestions, links, feedback). Absent values
 * are omitted, never sent as null or empty (spec §"Use of JSON").
 */
public final class CdsJson {

  private CdsJson() {}

  /** Discovery response. An empty list is allowed here, so it is always written. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Services(List<Service> services) {}

  /** One service in discovery. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Service(
      String hook,
      String title,
      String description,
      String id,
      Map<String, String> prefetch,
      String usageRequirements) {}

  /** A service response. {@code cards} is always present, possibly empty ("no advice"). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Response(
      @JsonInclude(JsonInclude.Include.ALWAYS) List<Card> cards, List<Action> systemActions) {}

  /** A card. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Card(
      String uuid,
      String summary,
      String detail,
      String indicator,
      Source source,
      List<Suggestion> suggestions,
      String selectionBehavior,
      List<Coding> overrideReasons,
      List<Link> links) {}

  /** Where a card's advice comes from. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Source(String label, String url, Coding topic) {}

  /** A CDS Hooks Coding (system and code required; display required for override reasons). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Coding(String code, String system, String display) {}

  /** A suggested set of actions. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Suggestion(
      String label, String uuid, Boolean isRecommended, List<Action> actions) {}

  /** A create, update or delete of one FHIR resource (resource as FHIR JSON). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Action(String type, String description, JsonNode resource, String resourceId) {}

  /** A link; {@code smart} links get {@code iss} and {@code launch} from the client. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Link(
      String label, String url, String type, String appContext, Boolean autolaunchable) {}
}
