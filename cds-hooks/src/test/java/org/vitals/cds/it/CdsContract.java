package org.vitals.cds.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The CDS Hooks 2.0 rules every response must follow, as assertions. */
public final class CdsContract {

  static final Set<String> INDICATORS = Set.of("info", "warning", "critical");
  static final Set<String> LINK_TYPES = Set.of("absolute", "smart");
  static final Set<String> SELECTION = Set.of("at-most-one", "any");
  static final Set<String> ACTION_TYPES = Set.of("create", "update", "delete");
  static final Pattern TOKEN = Pattern.compile("\\{\\{([^}]+)}}");
  static final Set<String> ALLOWED_TOKENS =
      Set.of(
          "context.patientId",
          "context.encounterId",
          "context.userId",
          "userPractitionerId",
          "userPractitionerRoleId",
          "userPatientId",
          "userRelatedPersonId");

  private CdsContract() {}

  /** Discovery: services with hook, description, id; prefetch templates with allowed tokens. */
  public static void discovery(JsonNode body) {
    assertThat(body.has("services")).as("services").isTrue();
    assertThat(body.get("services").isArray()).isTrue();
    for (JsonNode s : body.get("services")) {
      noNullsOrEmpties(s, "service");
      for (String f : new String[] {"hook", "description", "id"}) {
        assertThat(s.path(f).isTextual()).as("service." + f).isTrue();
      }
      if (s.has("prefetch")) {
        for (Iterator<Map.Entry<String, JsonNode>> it = s.get("prefetch").fields();
            it.hasNext(); ) {
          String template = it.next().getValue().asText();
          assertThat(template).doesNotStartWith("/").doesNotStartWith("http");
          Matcher m = TOKEN.matcher(template);
          while (m.find()) {
            assertThat(ALLOWED_TOKENS).as("prefetch token in " + template).contains(m.group(1));
          }
        }
      }
    }
  }

  /** A service response: cards (possibly empty) and valid cards. */
  public static void response(JsonNode body) {
    assertThat(body.has("cards")).as("cards is required").isTrue();
    assertThat(body.get("cards").isArray()).isTrue();
    body.fieldNames().forEachRemaining(f -> assertThat(f).isIn("cards", "systemActions"));
    for (JsonNode card : body.get("cards")) {
      card(card);
    }
    if (body.has("systemActions")) {
      assertThat(body.get("systemActions").size()).isPositive();
      body.get("systemActions").forEach(CdsContract::action);
    }
  }

  static void card(JsonNode c) {
    noNullsOrEmpties(c, "card");
    assertThat(c.path("uuid").asText()).as("card uuid (needed for feedback)").isNotBlank();
    String summary = c.path("summary").asText();
    assertThat(summary).as("summary").isNotBlank();
    assertThat(summary.length()).as("summary length of '" + summary + "'").isLessThan(140);
    assertThat(c.path("indicator").asText()).isIn(INDICATORS);
    JsonNode source = c.get("source");
    assertThat(source).as("source").isNotNull();
    assertThat(source.path("label").asText()).isNotBlank();
    if (source.has("url")) {
      assertThat(URI.create(source.get("url").asText()).isAbsolute())
          .as("source.url absolute")
          .isTrue();
    }
    if (source.has("topic")) {
      coding(source.get("topic"), false);
    }
    if (c.has("detail")) {
      assertThat(c.get("detail").isTextual()).isTrue();
    }
    if (c.has("suggestions")) {
      assertThat(c.path("selectionBehavior").asText()).as("selectionBehavior").isIn(SELECTION);
      int recommended = 0;
      for (JsonNode s : c.get("suggestions")) {
        assertThat(s.path("label").asText()).isNotBlank();
        assertThat(s.path("uuid").asText()).isNotBlank();
        if (s.path("isRecommended").asBoolean(false)) {
          recommended++;
        }
        if (s.has("actions")) {
          s.get("actions").forEach(CdsContract::action);
        }
      }
      if (recommended > 1) {
        assertThat(c.get("selectionBehavior").asText()).isEqualTo("any");
      }
    } else {
      assertThat(c.has("selectionBehavior")).isFalse();
    }
    if (c.has("overrideReasons")) {
      c.get("overrideReasons").forEach(r -> coding(r, true));
    }
    if (c.has("links")) {
      for (JsonNode l : c.get("links")) {
        assertThat(l.path("label").asText()).isNotBlank();
        assertThat(URI.create(l.path("url").asText()).isAbsolute()).isTrue();
        assertThat(l.path("type").asText()).isIn(LINK_TYPES);
        if (l.has("appContext")) {
          assertThat(l.get("type").asText()).isEqualTo("smart");
        }
      }
    }
  }

  static void action(JsonNode a) {
    assertThat(a.path("type").asText()).isIn(ACTION_TYPES);
    assertThat(a.path("description").asText()).isNotBlank();
    if (!a.get("type").asText().equals("delete")) {
      assertThat(a.path("resource").path("resourceType").asText()).isNotBlank();
    }
  }

  static void coding(JsonNode c, boolean displayRequired) {
    assertThat(c.path("code").asText()).isNotBlank();
    assertThat(c.path("system").asText()).isNotBlank();
    if (displayRequired) {
      assertThat(c.path("display").asText()).isNotBlank();
    }
  }

  /** No null, "", [] or {} anywhere below (CDS Hooks 2.0 §JSON). */
  static void noNullsOrEmpties(JsonNode n, String path) {
    if (n.isObject()) {
      assertThat(n.size()).as(path + " is an empty object").isPositive();
      n.fields().forEachRemaining(e -> noNullsOrEmpties(e.getValue(), path + "." + e.getKey()));
    } else if (n.isArray()) {
      assertThat(n.size()).as(path + " is an empty array").isPositive();
      for (int i = 0; i < n.size(); i++) {
        noNullsOrEmpties(n.get(i), path + "[" + i + "]");
      }
    } else {
      assertThat(n.isNull()).as(path + " is null").isFalse();
      if (n.isTextual()) {
        assertThat(n.asText()).as(path + " is an empty string").isNotEmpty();
      }
    }
  }
}
