package org.vitals.cds.recommend;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.StringType;
import org.vitals.cds.clinical.Codes;

/**
 * Writes recommendations as FHIR Communications to the patient (category {@code instruction}), with
 * the guideline as an attachment URL, the rule as {@code reasonCode} and the numbers in the payload
 * (docs/decisions/0704-recommendations-as-communication.md). The identifier holds rule, patient and
 * ISO week, and writes are conditional creates: one suggestion per rule a week.
 */
public final class RecommendationWriter {

  public static final String ID_SYSTEM = "https://vitals.example.org/fhir/recommendation-id";

  private RecommendationWriter() {}

  /** The Communication of one recommendation. */
  public static Communication communication(String patientId, Recommendation r, Instant now) {
    Communication c = new Communication();
    var week = now.atZone(ZoneOffset.UTC);
    c.addIdentifier()
        .setSystem(ID_SYSTEM)
        .setValue(
            r.code()
                + "-"
                + patientId
                + "-"
                + week.get(IsoFields.WEEK_BASED_YEAR)
                + "-W"
                + week.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    c.setStatus(Communication.CommunicationStatus.COMPLETED);
    c.addCategory()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/communication-category")
        .setCode("instruction");
    c.getSubject().setReference("Patient/" + patientId);
    c.addRecipient().setReference("Patient/" + patientId);
    c.setSent(Date.from(now));
    c.getTopic().setText(r.title());
    c.addReasonCode()
        .addCoding()
        .setSystem(Codes.RECOMMENDATION)
        .setCode(r.code())
        .setDisplay(r.title());
    c.addPayload().setContent(new StringType(r.text()));
    c.addPayload().setContent(new StringType("Based on your readings: " + r.because() + "."));
    c.addPayload()
        .setContent(
            new Attachment().setUrl(r.source().url()).setTitle("Source: " + r.source().label()));
    return c;
  }

  /** Writes each recommendation once per week; returns the Communication references. */
  public static List<String> write(
      IGenericClient fhir, String patientId, List<Recommendation> recs, Instant now) {
    List<String> refs = new ArrayList<>();
    for (Recommendation r : recs) {
      Communication c = communication(patientId, r, now);
      MethodOutcome out =
          fhir.create()
              .resource(c)
              .conditional()
              .where(
                  Communication.IDENTIFIER
                      .exactly()
                      .systemAndIdentifier(ID_SYSTEM, c.getIdentifierFirstRep().getValue()))
              .execute();
      refs.add("Communication/" + out.getId().getIdPart());
    }
    return refs;
  }
}
