package org.vitals.gateway.writing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.Type;

/**
 * The gateway's Observation transactions as FHIR JSON, written directly for the shapes the gateway
 * makes ({@code ObservationMapper}: every metric, BP components, ECG SampledData strips,
 * dataAbsentReason, sensor-status notes, the gateway-device extension; {@code SummaryObservation}:
 * tags, periods, integer components) instead of by HAPI's reflective encoder, the writers' largest
 * CPU cost (decision 0215). HAPI parses the text to the resource it would have encoded ({@code
 * ObservationJsonTest}). Anything outside those shapes (an element this writer does not know, an id
 * or extension on a datatype) makes {@link #transaction} return null, and the caller uses HAPI's
 * encoder: never a silently dropped element.
 */
public final class ObservationJson {
  private static final JsonFactory JSON = new JsonFactory();

  private ObservationJson() {}

  /** Not one of the shapes this writer knows. */
  private static final class Unsupported extends RuntimeException {
    Unsupported(String what) {
      super(what, null, false, false);
    }
  }

  /**
   * The transaction as JSON, or null when it holds anything but Observations of the gateway's
   * shapes created by POST with If-None-Exist.
   */
  public static String transaction(Bundle tx) {
    try {
      StringWriter out = new StringWriter(2048 * Math.max(1, tx.getEntry().size()));
      try (JsonGenerator g = JSON.createGenerator(out)) {
        bundle(g, tx);
      }
      return out.toString();
    } catch (Unsupported e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void bundle(JsonGenerator g, Bundle b) throws IOException {
    plain(b.hasId() || b.hasMeta() || b.hasImplicitRules() || b.hasLanguage(), "Bundle");
    plain(
        b.hasIdentifier() || b.hasTimestamp() || b.hasTotal() || b.hasLink() || b.hasSignature(),
        "Bundle");
    if (b.getType() != Bundle.BundleType.TRANSACTION) {
      throw new Unsupported("Bundle.type");
    }
    g.writeStartObject();
    g.writeStringField("resourceType", "Bundle");
    g.writeStringField("type", primitive(b.getTypeElement()));
    if (b.hasEntry()) {
      g.writeArrayFieldStart("entry");
      for (Bundle.BundleEntryComponent e : b.getEntry()) {
        plain(element(e) || e.hasModifierExtension() || e.hasLink(), "entry");
        plain(e.hasSearch() || e.hasResponse(), "entry");
        if (!(e.getResource() instanceof Observation o)) {
          throw new Unsupported("entry.resource");
        }
        g.writeStartObject();
        if (e.hasFullUrl()) {
          g.writeStringField("fullUrl", primitive(e.getFullUrlElement()));
        }
        g.writeFieldName("resource");
        observation(g, o);
        if (e.hasRequest()) {
          request(g, e.getRequest());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void request(JsonGenerator g, Bundle.BundleEntryRequestComponent r)
      throws IOException {
    plain(element(r) || r.hasModifierExtension() || r.hasIfNoneMatch(), "request");
    plain(r.hasIfModifiedSince() || r.hasIfMatch(), "request");
    g.writeObjectFieldStart("request");
    if (r.hasMethod()) {
      g.writeStringField("method", primitive(r.getMethodElement()));
    }
    if (r.hasUrl()) {
      g.writeStringField("url", primitive(r.getUrlElement()));
    }
    if (r.hasIfNoneExist()) {
      g.writeStringField("ifNoneExist", primitive(r.getIfNoneExistElement()));
    }
    g.writeEndObject();
  }

  private static void observation(JsonGenerator g, Observation o) throws IOException {
    plain(o.hasId() || o.hasImplicitRules() || o.hasLanguage() || o.hasText(), "Observation");
    plain(o.hasContained() || o.hasModifierExtension() || o.hasBasedOn(), "Observation");
    plain(o.hasPartOf() || o.hasFocus() || o.hasEncounter() || o.hasIssued(), "Observation");
    plain(o.hasPerformer() || o.hasInterpretation() || o.hasBodySite(), "Observation");
    plain(o.hasMethod() || o.hasSpecimen() || o.hasReferenceRange(), "Observation");
    plain(o.hasHasMember() || o.hasDerivedFrom(), "Observation");
    g.writeStartObject();
    g.writeStringField("resourceType", "Observation");
    if (o.hasMeta()) {
      meta(g, o.getMeta());
    }
    if (o.hasExtension()) {
      g.writeArrayFieldStart("extension");
      for (Extension x : o.getExtension()) {
        extension(g, x);
      }
      g.writeEndArray();
    }
    if (o.hasIdentifier()) {
      g.writeArrayFieldStart("identifier");
      for (Identifier i : o.getIdentifier()) {
        identifier(g, i);
      }
      g.writeEndArray();
    }
    if (o.hasStatus()) {
      g.writeStringField("status", primitive(o.getStatusElement()));
    }
    if (o.hasCategory()) {
      g.writeArrayFieldStart("category");
      for (CodeableConcept c : o.getCategory()) {
        codeableConcept(g, c);
      }
      g.writeEndArray();
    }
    if (o.hasCode()) {
      g.writeFieldName("code");
      codeableConcept(g, o.getCode());
    }
    if (o.hasSubject()) {
      g.writeFieldName("subject");
      reference(g, o.getSubject());
    }
    if (o.hasEffective()) {
      Type t = o.getEffective();
      if (t instanceof DateTimeType d) {
        g.writeStringField("effectiveDateTime", primitive(d));
      } else if (t instanceof Period p) {
        g.writeFieldName("effectivePeriod");
        period(g, p);
      } else {
        throw new Unsupported("effective[x]");
      }
    }
    if (o.hasValue()) {
      value(g, o.getValue(), false);
    }
    if (o.hasDataAbsentReason()) {
      g.writeFieldName("dataAbsentReason");
      codeableConcept(g, o.getDataAbsentReason());
    }
    if (o.hasNote()) {
      g.writeArrayFieldStart("note");
      for (Annotation a : o.getNote()) {
        plain(element(a) || a.hasAuthor() || a.hasTime(), "note");
        g.writeStartObject();
        if (a.hasText()) {
          g.writeStringField("text", primitive(a.getTextElement()));
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (o.hasDevice()) {
      g.writeFieldName("device");
      reference(g, o.getDevice());
    }
    if (o.hasComponent()) {
      g.writeArrayFieldStart("component");
      for (Observation.ObservationComponentComponent c : o.getComponent()) {
        plain(element(c) || c.hasModifierExtension(), "component");
        plain(c.hasInterpretation() || c.hasReferenceRange(), "component");
        g.writeStartObject();
        if (c.hasCode()) {
          g.writeFieldName("code");
          codeableConcept(g, c.getCode());
        }
        if (c.hasValue()) {
          value(g, c.getValue(), true);
        }
        if (c.hasDataAbsentReason()) {
          g.writeFieldName("dataAbsentReason");
          codeableConcept(g, c.getDataAbsentReason());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void value(JsonGenerator g, Type v, boolean component) throws IOException {
    if (v instanceof Quantity q) {
      g.writeFieldName("valueQuantity");
      quantity(g, q);
    } else if (v instanceof SampledData sd) {
      g.writeFieldName("valueSampledData");
      sampledData(g, sd);
    } else if (component && v instanceof IntegerType i) {
      g.writeFieldName("valueInteger");
      g.writeNumber(primitive(i));
    } else {
      throw new Unsupported("value[x] " + v.fhirType());
    }
  }

  private static void meta(JsonGenerator g, Meta m) throws IOException {
    plain(element(m) || m.hasVersionId() || m.hasLastUpdated(), "meta");
    plain(m.hasSource() || m.hasSecurity(), "meta");
    g.writeObjectFieldStart("meta");
    if (m.hasProfile()) {
      g.writeArrayFieldStart("profile");
      for (var p : m.getProfile()) {
        g.writeString(primitive(p));
      }
      g.writeEndArray();
    }
    if (m.hasTag()) {
      g.writeArrayFieldStart("tag");
      for (Coding c : m.getTag()) {
        coding(g, c);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void extension(JsonGenerator g, Extension x) throws IOException {
    plain(element(x) || !x.hasUrl(), "extension");
    if (!(x.getValue() instanceof Reference r)) {
      throw new Unsupported("extension value");
    }
    g.writeStartObject();
    g.writeStringField("url", x.getUrl());
    g.writeFieldName("valueReference");
    reference(g, r);
    g.writeEndObject();
  }

  private static void identifier(JsonGenerator g, Identifier i) throws IOException {
    plain(element(i) || i.hasUse() || i.hasType() || i.hasPeriod() || i.hasAssigner(), "ident");
    g.writeStartObject();
    if (i.hasSystem()) {
      g.writeStringField("system", primitive(i.getSystemElement()));
    }
    if (i.hasValue()) {
      g.writeStringField("value", primitive(i.getValueElement()));
    }
    g.writeEndObject();
  }

  private static void codeableConcept(JsonGenerator g, CodeableConcept c) throws IOException {
    plain(element(c) || c.hasText(), "CodeableConcept");
    g.writeStartObject();
    if (c.hasCoding()) {
      g.writeArrayFieldStart("coding");
      for (Coding x : c.getCoding()) {
        coding(g, x);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void coding(JsonGenerator g, Coding c) throws IOException {
    plain(element(c) || c.hasVersion() || c.hasUserSelected(), "Coding");
    g.writeStartObject();
    if (c.hasSystem()) {
      g.writeStringField("system", primitive(c.getSystemElement()));
    }
    if (c.hasCode()) {
      g.writeStringField("code", primitive(c.getCodeElement()));
    }
    if (c.hasDisplay()) {
      g.writeStringField("display", primitive(c.getDisplayElement()));
    }
    g.writeEndObject();
  }

  private static void reference(JsonGenerator g, Reference r) throws IOException {
    plain(element(r) || r.hasType() || r.hasIdentifier() || r.hasDisplay(), "Reference");
    // A Reference to a resource object would be contained or resolved by HAPI: not ours.
    plain(r.getResource() != null, "Reference");
    g.writeStartObject();
    if (r.hasReference()) {
      g.writeStringField("reference", primitive(r.getReferenceElement_()));
    }
    g.writeEndObject();
  }

  private static void period(JsonGenerator g, Period p) throws IOException {
    plain(element(p), "Period");
    g.writeStartObject();
    if (p.hasStart()) {
      g.writeStringField("start", primitive(p.getStartElement()));
    }
    if (p.hasEnd()) {
      g.writeStringField("end", primitive(p.getEndElement()));
    }
    g.writeEndObject();
  }

  private static void quantity(JsonGenerator g, Quantity q) throws IOException {
    plain(element(q) || q.hasComparator(), "Quantity");
    g.writeStartObject();
    if (q.hasValue()) {
      g.writeFieldName("value");
      g.writeNumber(primitive(q.getValueElement()));
    }
    if (q.hasUnit()) {
      g.writeStringField("unit", primitive(q.getUnitElement()));
    }
    if (q.hasSystem()) {
      g.writeStringField("system", primitive(q.getSystemElement()));
    }
    if (q.hasCode()) {
      g.writeStringField("code", primitive(q.getCodeElement()));
    }
    g.writeEndObject();
  }

  private static void sampledData(JsonGenerator g, SampledData s) throws IOException {
    plain(element(s), "SampledData");
    g.writeStartObject();
    if (s.hasOrigin()) {
      g.writeFieldName("origin");
      quantity(g, s.getOrigin());
    }
    number(g, "period", s.hasPeriod(), s.getPeriodElement());
    number(g, "factor", s.hasFactor(), s.getFactorElement());
    number(g, "lowerLimit", s.hasLowerLimit(), s.getLowerLimitElement());
    number(g, "upperLimit", s.hasUpperLimit(), s.getUpperLimitElement());
    number(g, "dimensions", s.hasDimensions(), s.getDimensionsElement());
    if (s.hasData()) {
      g.writeStringField("data", primitive(s.getDataElement()));
    }
    g.writeEndObject();
  }

  private static void number(JsonGenerator g, String name, boolean has, PrimitiveType<?> p)
      throws IOException {
    if (has) {
      g.writeFieldName(name);
      g.writeNumber(primitive(p));
    }
  }

  /** A primitive's text as HAPI writes it; one with an id or extensions is not ours. */
  private static String primitive(PrimitiveType<?> p) {
    plain(p.hasId() || p.hasExtension(), p.fhirType());
    String s = p.getValueAsString();
    if (s == null) {
      throw new Unsupported(p.fhirType() + " without a value");
    }
    return s;
  }

  /** Whether a datatype carries an id or extensions (which the gateway never sets). */
  private static boolean element(Element e) {
    return e.hasId() || e.hasExtension();
  }

  private static void plain(boolean unsupported, String where) {
    if (unsupported) {
      throw new Unsupported(where);
    }
  }

  /** Test hook: whether these Observations' transaction is written by this class. */
  static boolean writes(List<Observation> observations) {
    return transaction(FhirBatchWriter.transactionOf(observations)) != null;
  }
}
