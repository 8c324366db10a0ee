package org.vitals.gateway.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.ingest.ble.GattDecoder;
import org.vitals.gateway.ingest.ble.GattFormatException;
import org.vitals.gateway.ingest.ble.GattReadingDecoder;
import org.vitals.gateway.ingest.hl7.Ack;
import org.vitals.gateway.ingest.hl7.Hl7Header;
import org.vitals.gateway.ingest.hl7.Hl7RejectedException;
import org.vitals.gateway.ingest.hl7.OruReader;
import org.vitals.gateway.ingest.sensors.Max30102;
import org.vitals.gateway.ingest.sensors.Oximetry;
import org.vitals.gateway.ingest.serial.FrameRejectedException;
import org.vitals.gateway.ingest.serial.LineAssembler;
import org.vitals.gateway.ingest.serial.SerialFrameParser;
import org.vitals.gateway.ingest.serial.SerialSession;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.wire.WireReadingParser;

/**
 * Property-based fuzzing (jqwik) of every decoder: whatever the bytes, a decoder returns readings
 * or rejects with its declared exception and a reason; nothing else escapes, nothing hangs.
 */
class DecoderFuzzTest {
  private static final String VALID_LINE =
      "$W,17,44,125000,ecg,131330,4.000,0,0.005,valid,12,15,-19,523,-32768,32767*301D";
  private final WireReadingParser parser = new WireReadingParser();
  private final OruReader oru = new OruReader(parser, "gw", ZoneOffset.UTC);
  private final GattReadingDecoder gatt = new GattReadingDecoder(parser);

  @Provide
  Arbitrary<String> serialLines() {
    Arbitrary<String> random =
        Arbitraries.strings().withCharRange((char) 0, (char) 255).ofMaxLength(300);
    Arbitrary<String> structured =
        Arbitraries.strings()
            .withChars("$*,|-.0123456789ABCDEFHNBW hrvalidecgspo2")
            .ofMaxLength(120);
    Arbitrary<String> mutated = mutations(VALID_LINE);
    return Arbitraries.oneOf(random, structured, mutated);
  }

  @Property(tries = 3000)
  void serialFramesDecodeOrAreRejectedWithAReason(@ForAll("serialLines") String line) {
    try {
      SerialFrameParser.parse(line);
    } catch (FrameRejectedException e) {
      if (e.reason() == null || e.reason().isEmpty()) {
        throw new AssertionError("rejection without a reason for " + line);
      }
    }
  }

  @Property(tries = 1000)
  void serialSessionNeverThrowsAndEveryRejectionHasAReason(@ForAll("serialLines") String line) {
    List<String> reasons = new ArrayList<>();
    SerialSession s =
        new SerialSession(
            "gw",
            parser,
            new SerialSession.Output() {
              @Override
              public void readings(
                  String l,
                  com.fasterxml.jackson.databind.node.ObjectNode reading,
                  Instant at,
                  List<Measurement> ms) {}

              @Override
              public void rejected(String l, Instant at, String reason, String detail) {
                reasons.add(reason);
              }
            });
    s.line("$H,1,uno-ecg-01,17,0.1.0*063A", Instant.EPOCH);
    s.line(line, Instant.EPOCH);
    reasons.forEach(r -> org.vitals.gateway.deadletter.DeadLetterReason.fromCode(r)); // all known
    byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
    new LineAssembler(l -> {}, l -> {}).feed(b, b.length);
  }

  @Provide
  Arbitrary<Integer> uuids() {
    return Arbitraries.of(0x2A35, 0x2A36, 0x2A18, 0x2A5E, 0x2A5F, 0x2A1C, 0x2A1E, 0x2A37);
  }

  @Property(tries = 3000)
  void gattBytesDecodeOrAreRejected(
      @ForAll("uuids") int uuid, @ForAll @Size(max = 40) byte[] bytes) {
    try {
      GattDecoder.decode(uuid, bytes);
    } catch (GattFormatException e) {
      if (e.kind() == null) {
        throw new AssertionError("no kind");
      }
    }
  }

  @Property(tries = 1500)
  void gattEnvelopesBecomeReadingsOrDeadLetters(
      @ForAll("uuids") int uuid, @ForAll @Size(max = 24) byte[] bytes, @ForAll boolean b64) {
    String value =
        b64
            ? java.util.Base64.getEncoder().encodeToString(bytes)
            : java.util.HexFormat.of().formatHex(bytes);
    String json =
        "{\"v\":1,\"dev\":\"d\",\"boot\":1,\"seq\":1,\"ts\":1732680000000,\"uuid\":\""
            + Integer.toHexString(uuid)
            + "\",\""
            + (b64 ? "b64" : "hex")
            + "\":\""
            + value
            + "\"}";
    try {
      gatt.decode("vitals/v1/gw/d/gatt", json.getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
    } catch (ReadingRejectedException e) {
      if (e.reason() == null) {
        throw new AssertionError("no reason");
      }
    }
  }

  @Property(tries = 500)
  void gattPayloadsOfAnyShapeAreDeadLetteredNotThrown(@ForAll @Size(max = 200) byte[] payload) {
    try {
      gatt.decode("vitals/v1/gw/d/gatt", payload, Instant.EPOCH);
    } catch (ReadingRejectedException e) {
      // expected
    }
  }

  @Provide
  Arbitrary<String> hl7Messages() {
    String base =
        String.join(
                "\r",
                "MSH|^~\\&|MON^0030C8FFFE0B7C2A^EUI-64|PHILIPS|VITALS|VITALS|20261127054500+0000||ORU^R01^ORU_R01|PIV-1|P|2.6",
                "PID|||HL7-PAT-0001^^^Hospital^MR||Testpatient^Alpha",
                "OBR|1|||182777000^monitoring of patient^SNOMED-CT|||20261127054455+0000",
                "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.1.1.1|97|262688^MDC_DIM_PERCENT^MDC|||||R|||20261127054455+0000||||0030C8FFFE0B7C2A^EUI-64",
                "OBX|2|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.5.1.1.1|121|266016^MDC_DIM_MMHG^MDC|||||R|||20261127054400+0000",
                "OBX|3|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.5.1.1.2|78|266016^MDC_DIM_MMHG^MDC|||||R|||20261127054400+0000",
                "OBX|4|NA|131330^MDC_ECG_ELEC_POTL_II^MDC|1.2.1.2|0.01^0.02^1.2|^MDC_DIM_MILLI_VOLT^MDC|||||R|||20261127054500+0000",
                "OBX|5|NM|^MDC_ATTR_TIME_PD_SAMP^MDC|1.2.1.2.1|4|^MDC_DIM_MILLI_SEC^MDC|||||R")
            + "\r";
    return Arbitraries.oneOf(
        mutations(base), Arbitraries.strings().ofMaxLength(200).map(s -> "MSH|^~\\&|" + s));
  }

  @Property(tries = 800)
  void hl7MessagesParseOrGetANackWithAReason(@ForAll("hl7Messages") String message) {
    try {
      oru.read(message, Instant.EPOCH);
    } catch (Hl7RejectedException e) {
      if (!e.ackCode().equals("AE") && !e.ackCode().equals("AR")) {
        throw new AssertionError("ack code " + e.ackCode());
      }
      String ack =
          Ack.build(
              Hl7Header.of(message),
              e.ackCode(),
              e.getMessage(),
              List.of(new Ack.Error(e.errorCode(), e.location(), e.getMessage())));
      if (!ack.contains("\rMSA|" + e.ackCode() + "|")) {
        throw new AssertionError(ack);
      }
    }
  }

  @Property(tries = 2000)
  void max30102FifoBytesAndOximetryNeverFail(@ForAll @Size(max = 200) byte[] fifo) {
    List<Max30102.Sample> s = Max30102.decode(fifo, fifo.length % 2 == 0);
    new Oximetry(Oximetry.Calibration.maxim(), 25).compute(s);
  }

  /** Random single-character edits, deletions and insertions of a valid message. */
  static Arbitrary<String> mutations(String valid) {
    Arbitrary<Integer> pos = Arbitraries.integers().between(0, valid.length() - 1);
    Arbitrary<Character> ch =
        Arbitraries.chars()
            .with('|', '^', '&', '~', '\\', '\r', '*', ',', '$', '-', '.', 'x', '0', '9', ' ');
    Arbitrary<String> one =
        Combinators.combine(pos, ch, Arbitraries.integers().between(0, 2))
            .as(
                (p, c, op) ->
                    switch (op) {
                      case 0 -> valid.substring(0, p) + c + valid.substring(p + 1);
                      case 1 ->
                          valid.substring(0, p)
                              + valid.substring(Math.min(valid.length(), p + 1 + (p % 7)));
                      default -> valid.substring(0, p) + c + valid.substring(p);
                    });
    return Arbitraries.oneOf(one, one.map(s -> s.substring(0, s.length() / 2)));
  }
}
