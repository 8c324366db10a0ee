package org.vitals.gateway.ingest.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v26.datatype.CWE;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v26.message.ORU_R01;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vitals.gateway.deadletter.DeadLetterReason;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.measurement.Mdc;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.wire.WireReadingParser;

/**
 * Reads an IHE PCD-01 ORU^R01 (v2.6, also v2.5 and v2.3.1, parsed with HAPI into the v2.6
 * structures) into normalised measurements: OBX-3 MDC code (32-bit decimal or Philips MDIL hex),
 * OBX-4 containment for grouping blood-pressure components, OBX-5 NM values and NA waveforms, OBX-6
 * units (MDC or UCUM), OBX-14 (else OBR-7) time, OBX-18 device (else MSH-3).
 *
 * <p>Conventions: IHE PCD TF-2 and ../shared/reference/standards-and-codes.md §9. Each reading is
 * built as a v1 wire reading and goes through the shared normalisation (units, ranges, statuses).
 */
public final class OruReader {
  private static final Pattern DTM =
      Pattern.compile(
          "(\\d{4})(\\d{2})(\\d{2})(\\d{2})?(\\d{2})?(\\d{2})?(\\.\\d{1,4})?([+-]\\d{4})?");
  private static final Pattern MDIL = Pattern.compile("([0-9a-fA-F]{4})-([0-9a-fA-F]{4})");
  private static final Pattern ID_CHARS = Pattern.compile("[^A-Za-z0-9._-]");
  private static final String PERIOD_REFID = "MDC_ATTR_TIME_PD_SAMP";
  private static final String RATE_REFID = "MDC_ATTR_SAMP_RATE";

  /** Parsed message: control id, PID-3.1 (and its assigning authority), the measurements. */
  public record Oru(
      Hl7Header header,
      String patientId,
      String patientAuthority,
      List<Measurement> measurements,
      List<String> ignored) {}

  private final HapiContext hapi;
  private final PipeParser pipe;
  private final WireReadingParser parser;
  private final ObjectMapper json = new ObjectMapper();
  private final String gatewayId;
  private final ZoneId localZone;

  public OruReader(WireReadingParser parser, String gatewayId, ZoneId localZone) {
    this.hapi = new DefaultHapiContext();
    hapi.setModelClassFactory(new CanonicalModelClassFactory("2.6"));
    hapi.setValidationContext(ValidationContextFactory.noValidation());
    this.pipe = hapi.getPipeParser();
    this.parser = parser;
    this.gatewayId = gatewayId;
    this.localZone = localZone;
  }

  /** Segments separated by CR (LF and CRLF tolerated, as files and some senders have them). */
  public static String normaliseSegments(String text) {
    return text.replace("\r\n", "\r").replace('\n', '\r').strip() + "\r";
  }

  public Oru read(String text, Instant receivedAt) {
    String msg = normaliseSegments(text);
    Hl7Header h = Hl7Header.of(msg);
    if (h.controlId() == null) {
      throw new Hl7RejectedException(
          "AR",
          "101",
          "MSH-10",
          DeadLetterReason.HL7_MALFORMED,
          "MSH-10 (message control id) is missing");
    }
    if (!"ORU".equals(h.messageType()) || !"R01".equals(h.triggerEvent())) {
      throw new Hl7RejectedException(
          "AR",
          "200",
          "MSH-9",
          DeadLetterReason.HL7_UNSUPPORTED,
          "message type "
              + h.messageType()
              + "^"
              + h.triggerEvent()
              + " is not supported; send ORU^R01");
    }
    if (h.version() == null
        || !(h.version().startsWith("2.3")
            || h.version().startsWith("2.4")
            || h.version().startsWith("2.5")
            || h.version().startsWith("2.6")
            || h.version().startsWith("2.7"))) {
      throw new Hl7RejectedException(
          "AR",
          "203",
          "MSH-12",
          DeadLetterReason.HL7_UNSUPPORTED,
          "HL7 version " + h.version() + " is not supported; use 2.6, 2.5 or 2.3.1");
    }
    ORU_R01 oru;
    try {
      Message m = pipe.parse(msg);
      if (!(m instanceof ORU_R01 o)) {
        throw new Hl7RejectedException(
            "AR", "200", "MSH-9", DeadLetterReason.HL7_UNSUPPORTED, "not an ORU_R01 structure");
      }
      oru = o;
    } catch (HL7Exception | RuntimeException e) {
      if (e instanceof Hl7RejectedException r) {
        throw r;
      }
      throw new Hl7RejectedException(
          "AR",
          "102",
          "",
          DeadLetterReason.HL7_MALFORMED,
          "cannot parse the message: " + firstLine(e.getMessage()));
    }
    try {
      return read(oru, h, receivedAt);
    } catch (HL7Exception e) {
      throw new Hl7RejectedException(
          "AR", "102", "", DeadLetterReason.HL7_MALFORMED, firstLine(e.getMessage()));
    }
  }

  private Oru read(ORU_R01 oru, Hl7Header h, Instant receivedAt) throws HL7Exception {
    if (oru.getPATIENT_RESULTReps() == 0) {
      throw new Hl7RejectedException(
          "AE", "101", "PID-3", DeadLetterReason.HL7_MALFORMED, "no PID segment");
    }
    ORU_R01_PATIENT_RESULT pr = oru.getPATIENT_RESULT(0);
    String patientId = null;
    String authority = null;
    if (pr.getPATIENT().getPID().getPatientIdentifierListReps() > 0) {
      var cx = pr.getPATIENT().getPID().getPatientIdentifierList(0);
      patientId = cx.getIDNumber().getValue();
      authority = cx.getAssigningAuthority().getNamespaceID().getValue();
    }
    if (patientId == null || patientId.isBlank()) {
      throw new Hl7RejectedException(
          "AE",
          "101",
          "PID-3",
          DeadLetterReason.UNKNOWN_PATIENT,
          "PID-3.1 (patient identifier) is empty");
    }
    String msgDevice = h.sendingApplication();
    List<Measurement> out = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    String ctrl = ID_CHARS.matcher(h.controlId()).replaceAll("_");
    int ordinal = 0;
    for (ORU_R01_PATIENT_RESULT result : oru.getPATIENT_RESULTAll()) {
      for (ORU_R01_ORDER_OBSERVATION order : result.getORDER_OBSERVATIONAll()) {
        String obr7 = order.getOBR().getObservationDateTime().getValue();
        List<OBX> rows = new ArrayList<>();
        for (ORU_R01_OBSERVATION o : order.getOBSERVATIONAll()) {
          rows.add(o.getOBX());
        }
        // Blood pressure components grouped by their parent in the containment tree.
        Map<String, ObjectNode> bpByParent = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
          OBX obx = rows.get(i);
          ordinal++;
          String type = nz(obx.getValueType().getValue());
          if (!type.equals("NM") && !type.equals("NA")) {
            continue; // MDS/VMD/CHAN rows (CWE/ST/empty) carry the hierarchy, not readings
          }
          String loc = "OBX-" + (i + 1);
          if (nz(obx.getObservationIdentifier().getText().getValue()).startsWith("MDC_ATTR_")) {
            continue; // attributes of the row above (e.g. the sample period of a waveform)
          }
          int mdc = mdcCode(obx.getObservationIdentifier(), loc);
          String subId = nz(obx.getObservationSubID().getValue());
          String device = device(obx, msgDevice, loc);
          Instant time = time(nz(obx.getDateTimeOfTheObservation().getValue()), obr7, loc);
          String rawValue =
              obx.getObservationValueReps() == 0 || obx.getObservationValue(0).getData() == null
                  ? ""
                  : nz(obx.getObservationValue(0).getData().encode());
          String unit = unit(obx.getUnits());
          List<String> statuses = statuses(obx);
          String identity =
              device + ":" + ctrl + ":" + (subId.isEmpty() ? String.valueOf(ordinal) : subId);
          int bpCode = bpComponent(mdc);
          if (bpCode != 0 && type.equals("NM")) {
            String parent = parent(subId);
            ObjectNode bp = bpByParent.get(parent);
            if (bp == null) {
              bp = reading(device, time, "bp", 150020, unit == null ? "mm[Hg]" : unit, statuses);
              bp.putObject("cmp");
              bp.put("_identity", device + ":" + ctrl + ":" + (parent.isEmpty() ? "bp" : parent));
              bpByParent.put(parent, bp);
            }
            putNumber((ObjectNode) bp.get("cmp"), String.valueOf(bpCode), rawValue, loc);
            continue;
          }
          if (mdc == 150020) {
            continue; // the NIBP compound row itself
          }
          String metric = metric(mdc);
          if (metric == null) {
            ignored.add(loc + " " + mdc);
            continue;
          }
          if (type.equals("NA")) {
            if (!Mdc.isEcgLead(mdc)) {
              ignored.add(loc + " " + mdc + " (waveform)");
              continue;
            }
            BigDecimal period = samplePeriod(rows, i, subId, loc);
            out.addAll(
                withIdentity(
                    parse(
                        waveform(device, time, mdc, rawValue, unit, period, statuses, loc),
                        receivedAt),
                    identity));
            continue;
          }
          ObjectNode r = reading(device, time, metric, mdc, unit, statuses);
          putNumber(r, "val", rawValue, loc);
          if (unit == null) {
            throw new Hl7RejectedException(
                "AE",
                "101",
                loc + "-6",
                DeadLetterReason.HL7_MALFORMED,
                "OBX-6 (units) is missing for " + Mdc.name(mdc));
          }
          for (Measurement m : parse(r, receivedAt)) {
            out.add(withIdentity(m, identity));
          }
        }
        for (ObjectNode bp : bpByParent.values()) {
          String identity = bp.remove("_identity").asText();
          for (Measurement m : parse(bp, receivedAt)) {
            out.add(withIdentity(m, identity));
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new Hl7RejectedException(
          "AE",
          "204",
          "OBX-3",
          DeadLetterReason.HL7_UNSUPPORTED,
          "no vital-sign observation with a known MDC code"
              + (ignored.isEmpty() ? "" : " (ignored: " + String.join(", ", ignored) + ")"));
    }
    return new Oru(h, patientId, authority, out, ignored);
  }

  private List<Measurement> parse(ObjectNode r, Instant receivedAt) {
    String dev = r.get("dev").asText();
    try {
      return parser.parseObject(
          new WireReadingParser.Topic(gatewayId, dev, r.get("metric").asText()), r, receivedAt);
    } catch (ReadingRejectedException e) {
      throw new Hl7RejectedException("AE", "207", "OBX-5", e.reason(), e.getMessage());
    }
  }

  private ObjectNode reading(
      String dev, Instant time, String metric, int mdc, String unit, List<String> statuses) {
    ObjectNode r = json.createObjectNode();
    r.put("v", 1);
    r.put("dev", dev);
    r.put("boot", 0);
    r.put("seq", 0);
    r.put("ts", time.toEpochMilli());
    r.put("tsq", "rtc");
    r.put("metric", metric);
    if (!metric.equals("bp") && !metric.equals("ecg")) {
      r.put("mdc", mdc);
    }
    if (unit != null) {
      r.put("unit", unit);
    }
    ArrayNode st = r.putArray("st");
    statuses.forEach(st::add);
    return r;
  }

  private ObjectNode waveform(
      String dev,
      Instant time,
      int lead,
      String raw,
      String unit,
      BigDecimal period,
      List<String> statuses,
      String loc) {
    ObjectNode r = reading(dev, time, "ecg", lead, "mV", statuses);
    String[] parts = raw.split("\\^", -1);
    if (raw.isEmpty() || parts.length > 5000) {
      throw new Hl7RejectedException(
          "AE",
          "102",
          loc + "-5",
          DeadLetterReason.HL7_MALFORMED,
          "waveform must hold 1 to 5000 samples");
    }
    BigDecimal[] values = new BigDecimal[parts.length];
    int scale = 0;
    for (int i = 0; i < parts.length; i++) {
      values[i] = number(parts[i], loc + "-5");
      scale = Math.max(scale, Math.max(0, values[i].scale()));
    }
    // µV rows are scaled to mV; decimals become integer counts with factor 10^-scale.
    BigDecimal toMv = "uV".equals(unit) ? new BigDecimal("0.001") : BigDecimal.ONE;
    if (unit != null && !unit.equals("mV") && !unit.equals("uV")) {
      throw new Hl7RejectedException(
          "AE",
          "103",
          loc + "-6",
          DeadLetterReason.HL7_MALFORMED,
          "waveform unit " + unit + " is not mV or uV");
    }
    ArrayNode data = r.putArray("leads").addObject().put("mdc", lead).putArray("data");
    for (BigDecimal v : values) {
      BigDecimal counts = v.movePointRight(scale);
      if (counts.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
        throw new Hl7RejectedException(
            "AE",
            "102",
            loc + "-5",
            DeadLetterReason.HL7_MALFORMED,
            "sample " + v + " is out of range");
      }
      data.add(counts.intValueExact());
    }
    r.put("period", period);
    r.put("origin", 0);
    r.put("factor", BigDecimal.ONE.movePointLeft(scale).multiply(toMv));
    return r;
  }

  /** The sample period of a waveform row: a child OBX MDC_ATTR_TIME_PD_SAMP (ms) or _SAMP_RATE. */
  private BigDecimal samplePeriod(List<OBX> rows, int index, String subId, String loc)
      throws HL7Exception {
    for (int j = index + 1; j < rows.size(); j++) {
      OBX c = rows.get(j);
      String cs = nz(c.getObservationSubID().getValue());
      if (!subId.isEmpty() && !cs.startsWith(subId + ".")) {
        break;
      }
      String text = nz(c.getObservationIdentifier().getText().getValue()).toUpperCase(Locale.ROOT);
      String v =
          c.getObservationValueReps() == 0 || c.getObservationValue(0).getData() == null
              ? ""
              : nz(c.getObservationValue(0).getData().encode());
      String u =
          nz(c.getUnits().getIdentifier().getValue()) + " " + nz(c.getUnits().getText().getValue());
      if (text.contains(PERIOD_REFID)) {
        BigDecimal p = number(v, "OBX-" + (j + 1) + "-5");
        if (u.contains("MICRO_SEC") || u.contains("us")) {
          p = p.movePointLeft(3);
        } else if (u.contains("MDC_DIM_SEC") || u.trim().equals("s")) {
          p = p.movePointRight(3);
        }
        return positive(p, loc);
      }
      if (text.contains(RATE_REFID)) {
        BigDecimal rate = positive(number(v, "OBX-" + (j + 1) + "-5"), loc);
        return BigDecimal.valueOf(1000)
            .divide(rate, java.math.MathContext.DECIMAL64)
            .stripTrailingZeros();
      }
    }
    throw new Hl7RejectedException(
        "AE",
        "101",
        loc,
        DeadLetterReason.HL7_MALFORMED,
        "waveform row has no child " + PERIOD_REFID + " or " + RATE_REFID + " row");
  }

  private static BigDecimal positive(BigDecimal p, String loc) {
    if (p.signum() <= 0) {
      throw new Hl7RejectedException(
          "AE", "102", loc, DeadLetterReason.HL7_MALFORMED, "sample period must be > 0");
    }
    return p;
  }

  private void putNumber(ObjectNode n, String field, String raw, String loc) {
    if (raw.isEmpty()) {
      n.putNull(field);
    } else {
      n.put(field, number(raw, loc + "-5"));
    }
  }

  private static BigDecimal number(String raw, String loc) {
    try {
      BigDecimal d = new BigDecimal(raw.trim());
      if (d.precision() > 18 || Math.abs(d.scale()) > 12) {
        throw new NumberFormatException("too many digits");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new Hl7RejectedException(
          "AE",
          "102",
          loc,
          DeadLetterReason.HL7_MALFORMED,
          "'" + truncate(raw) + "' is not a number");
    }
  }

  /** OBX-3: the 32-bit MDC code (PCD-01), or a Philips MDIL code {@code 0002-4bb8}. */
  static int mdcCode(CWE id, String loc) {
    String code = nz(id.getIdentifier().getValue()).trim();
    Matcher m = MDIL.matcher(code);
    if (m.matches()) {
      return Integer.parseInt(m.group(1), 16) << 16 | Integer.parseInt(m.group(2), 16);
    }
    try {
      return Integer.parseInt(code);
    } catch (NumberFormatException e) {
      throw new Hl7RejectedException(
          "AE",
          "103",
          loc + "-3",
          DeadLetterReason.HL7_MALFORMED,
          "OBX-3 '" + truncate(code) + "' is not an MDC code");
    }
  }

  /** Systolic/diastolic/mean codes (NIBP and the cuff variants some monitors send). */
  static int bpComponent(int mdc) {
    return switch (mdc) {
      case 150021, 150301 -> 150021;
      case 150022, 150302 -> 150022;
      case 150023, 150303 -> 150023;
      default -> 0;
    };
  }

  static String metric(int mdc) {
    return switch (mdc) {
      case 147842 -> "hr";
      case 149530, 149546 -> "pr";
      case 150456 -> "spo2";
      case 151562 -> "rr";
      case 150364 -> "temp";
      case 160184, 160188, 160192, 160196, 160368 -> "glucose";
      default -> Mdc.isEcgLead(mdc) ? "ecg" : null;
    };
  }

  /** OBX-6 to UCUM: MDC unit codes and names, UCUM codes as they are, a few vendor spellings. */
  static String unit(CWE units) {
    String id = nz(units.getIdentifier().getValue()).trim();
    String text = nz(units.getText().getValue()).trim();
    String system = nz(units.getNameOfCodingSystem().getValue()).trim();
    if (id.isEmpty() && text.isEmpty()) {
      return null;
    }
    if (system.equalsIgnoreCase("UCUM")) {
      return id;
    }
    String byCode =
        switch (id) {
          case "262688" -> "%";
          case "264864", "264928" -> "/min";
          case "266016" -> "mm[Hg]";
          case "268192" -> "Cel";
          case "264274" -> "mg/dL";
          default -> null;
        };
    if (byCode != null) {
      return byCode;
    }
    for (String s : new String[] {text, id}) {
      String u =
          switch (s) {
            case "MDC_DIM_PERCENT", "%" -> "%";
            case "MDC_DIM_BEAT_PER_MIN",
                "MDC_DIM_RESP_PER_MIN",
                "/min",
                "bpm",
                "rpm",
                "{beats}/min",
                "{breaths}/min" ->
                "/min";
            case "MDC_DIM_MMHG", "mmHg", "mm[Hg]" -> "mm[Hg]";
            case "MDC_DIM_KILO_PASCAL", "kPa" -> "kPa";
            case "MDC_DIM_DEGC", "Cel", "degC", "°C" -> "Cel";
            case "MDC_DIM_FAHR", "[degF]", "degF", "°F" -> "[degF]";
            case "MDC_DIM_MILLI_G_PER_DL", "mg/dL" -> "mg/dL";
            case "MDC_DIM_MILLI_MOLE_PER_L", "mmol/L" -> "mmol/L";
            case "MDC_DIM_MILLI_VOLT", "mV" -> "mV";
            case "MDC_DIM_MICRO_VOLT", "uV", "µV" -> "uV";
            default -> null;
          };
      if (u != null) {
        return u;
      }
    }
    return text.isEmpty() ? id : text; // the normalisation rejects it as unit-not-allowed
  }

  /** OBX-8 abnormal flags / OBX-11 result status to wire statuses (PCD-01 measurement status). */
  static List<String> statuses(OBX obx) {
    List<String> st = new ArrayList<>();
    for (var f : obx.getAbnormalFlags()) {
      String v = nz(f.getValue()).toUpperCase(Locale.ROOT);
      switch (v) {
        case "INV" -> st.add("sensor_error");
        case "QUES" -> st.add("questionable");
        case "CAL" -> st.add("calibrating");
        default -> {}
      }
    }
    if ("X".equals(obx.getObservationResultStatus().getValue()) && !st.contains("sensor_error")) {
      st.add("sensor_error");
    }
    return st.isEmpty() ? List.of("valid") : st;
  }

  /** OBX-18 equipment instance id (EUI-64), else MSH-3; made into a device id. */
  static String device(OBX obx, String msgDevice, String loc) {
    String id = null;
    if (obx.getEquipmentInstanceIdentifierReps() > 0) {
      id = obx.getEquipmentInstanceIdentifier(0).getEntityIdentifier().getValue();
    }
    if (id == null || id.isBlank()) {
      id = msgDevice;
    }
    if (id == null || id.isBlank()) {
      throw new Hl7RejectedException(
          "AE",
          "101",
          loc + "-18",
          DeadLetterReason.HL7_MALFORMED,
          "no device: OBX-18 and MSH-3 are empty");
    }
    String d = ID_CHARS.matcher(id.trim()).replaceAll("_");
    return d.length() > 64 ? d.substring(0, 64) : d;
  }

  Instant time(String obx14, String obr7, String loc) {
    String t = !obx14.isEmpty() ? obx14 : obr7;
    if (t == null || t.isEmpty()) {
      throw new Hl7RejectedException(
          "AE",
          "101",
          loc + "-14",
          DeadLetterReason.HL7_MALFORMED,
          "no observation time in OBX-14 or OBR-7");
    }
    Matcher m = DTM.matcher(t.trim());
    if (!m.matches()) {
      throw new Hl7RejectedException(
          "AE",
          "102",
          loc + "-14",
          DeadLetterReason.HL7_MALFORMED,
          "'" + truncate(t) + "' is not an HL7 time stamp");
    }
    try {
      LocalDateTime ldt =
          LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
              m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
              m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
              m.group(7) == null
                  ? 0
                  : (int) Math.round(Double.parseDouble(m.group(7)) * 1_000_000_000d));
      if (m.group(8) != null) {
        return ldt.toInstant(
            ZoneOffset.of(m.group(8).substring(0, 3) + ":" + m.group(8).substring(3)));
      }
      return ldt.atZone(localZone).toInstant(); // no offset: the configured local zone
    } catch (java.time.DateTimeException | NumberFormatException e) {
      throw new Hl7RejectedException(
          "AE",
          "102",
          loc + "-14",
          DeadLetterReason.HL7_MALFORMED,
          "'" + truncate(t) + "' is not a valid time");
    }
  }

  private static String parent(String subId) {
    int i = subId.lastIndexOf('.');
    return i < 0 ? "" : subId.substring(0, i);
  }

  static Measurement withIdentity(Measurement m, String identity) {
    String suffix = m.identity().endsWith(":pr") ? ":pr" : "";
    return new Measurement(
        identity + suffix,
        m.gatewayId(),
        m.deviceId(),
        m.metric(),
        m.mdc(),
        m.time(),
        m.timeQuality(),
        m.end(),
        m.value(),
        m.components(),
        m.dataAbsentReason(),
        m.statuses(),
        m.waveform());
  }

  private static List<Measurement> withIdentity(List<Measurement> ms, String identity) {
    return ms.stream().map(m -> withIdentity(m, identity)).toList();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String truncate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
