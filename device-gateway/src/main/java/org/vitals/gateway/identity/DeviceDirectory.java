package org.vitals.gateway.identity;

import ca.uhn.fhir.rest.api.SearchStyleEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DeviceUseStatement;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitals.gateway.measurement.Mdc;

/**
 * Finds (and creates) Device resources by identifier and reads their patient assignments from the
 * FHIR server.
 *
 * <p>Devices and their assignments are cached, because searching them with their
 * DeviceUseStatements for every batch cost about a sixth of the batch's time (docs/benchmarks.md).
 * A wrong patient is worse than a slow write, so the cache is only used while the server says
 * nothing changed: before each batch, one request asks the Device and DeviceUseStatement histories
 * for any change since the cache was last known current (less {@link #CHANGE_MARGIN}); any change,
 * by this gateway, another gateway or any FHIR client, empties the cache and the batch's devices
 * are searched again. A check serves every batch whose readings had all been received when it
 * started (decision 0213): a reassignment committed before a reading reached the gateway therefore
 * always applies to that reading.
 */
public class DeviceDirectory implements org.vitals.gateway.summary.MinuteSummaries.Directory {
  public static final String DEVICE_ID_SYSTEM = "urn:vitals:sid:device-id";
  public static final String GATEWAY_ID_SYSTEM = "urn:vitals:sid:gateway-id";

  /**
   * How far before the moment the cache was last known current the change check looks: a
   * transaction still running at that moment commits with an earlier {@code _lastUpdated}, and the
   * gateway's clock may differ from the server's.
   */
  public static final Duration CHANGE_MARGIN = Duration.ofSeconds(60);

  private static final Logger log = LoggerFactory.getLogger(DeviceDirectory.class);

  private final IGenericClient fhir;
  private final java.util.function.BooleanSupplier assignmentsReachable;
  private final Clock clock;
  private final Duration changeMargin;
  private final Map<String, String> gatewayRefs = new ConcurrentHashMap<>();
  private final Map<String, DeviceIdentity> cache = new HashMap<>();

  /** When the cached entries were last known to match the server; null when none are. */
  private Instant currentAsOf;

  /** {@link System#nanoTime()} when the check that made the cache current started. */
  private long currentAsOfNanos;

  private final java.util.concurrent.atomic.AtomicLong changeChecks =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong searches =
      new java.util.concurrent.atomic.AtomicLong();

  /** False once the server refused the history check: then every batch searches, as before. */
  private boolean changeCheckAvailable = true;

  public DeviceDirectory(IGenericClient fhir) {
    this(fhir, () -> true);
  }

  /**
   * @param assignmentsReachable whether the gateway's token reaches DeviceUseStatement; without it
   *     assignments come from Device.patient only and {@link #assign} is refused
   */
  public DeviceDirectory(
      IGenericClient fhir, java.util.function.BooleanSupplier assignmentsReachable) {
    this(fhir, assignmentsReachable, Clock.systemUTC(), CHANGE_MARGIN);
  }

  /** With another clock and change margin (tests). */
  public DeviceDirectory(
      IGenericClient fhir,
      java.util.function.BooleanSupplier assignmentsReachable,
      Clock clock,
      Duration changeMargin) {
    this.fhir = fhir;
    this.assignmentsReachable = assignmentsReachable;
    this.clock = clock;
    this.changeMargin = changeMargin;
  }

  /**
   * The sensor devices (creating missing ones) and their assignments: from the cache when the
   * server reports no Device or DeviceUseStatement change, else from one search.
   */
  @Override
  public Map<String, DeviceIdentity> devices(Collection<String> deviceIds) {
    return devices(deviceIds, System.nanoTime());
  }

  /**
   * The devices for readings that had all been received by {@code receivedByNanos} ({@link
   * System#nanoTime()}): the cache is used without asking the server again if a change check
   * started after that moment found nothing. Such a check sees every change committed before the
   * readings arrived, as a check of their own would: under a backlog the readings of several
   * batches share one check, and the server answers fewer history requests (decision 0213).
   */
  public synchronized Map<String, DeviceIdentity> devices(
      Collection<String> deviceIds, long receivedByNanos) {
    if (currentAsOf == null || currentAsOfNanos - receivedByNanos < 0) {
      long startedNanos = System.nanoTime();
      Instant now = clock.instant();
      if (currentAsOf == null || changedSince(currentAsOf.minus(changeMargin))) {
        cache.clear();
      }
      currentAsOf = now;
      currentAsOfNanos = startedNanos;
    }
    List<String> unknown =
        deviceIds.stream().filter(d -> !cache.containsKey(d)).distinct().toList();
    if (!unknown.isEmpty()) {
      Map<String, DeviceIdentity> found = search(unknown);
      List<String> missing = unknown.stream().filter(d -> !found.containsKey(d)).toList();
      if (!missing.isEmpty()) {
        Map<String, String> created = create(missing, DEVICE_ID_SYSTEM);
        created.forEach((id, ref) -> found.put(id, new DeviceIdentity(ref, null, List.of())));
      }
      cache.putAll(found);
    }
    Map<String, DeviceIdentity> out = new HashMap<>();
    for (String id : deviceIds) {
      DeviceIdentity d = cache.get(id);
      if (d != null) {
        out.put(id, d);
      }
    }
    return out;
  }

  /** Device-change checks asked of the server so far (each one or two history requests). */
  public double changeChecks() {
    return changeChecks.get();
  }

  /** Device searches sent so far. */
  public double searches() {
    return searches.get();
  }

  /** Forgets the cached devices, so the next lookup searches them again. */
  public synchronized void forgetCachedDevices() {
    cache.clear();
    currentAsOf = null;
  }

  /**
   * Whether any Device or DeviceUseStatement was created, changed or deleted since {@code since},
   * from their type histories (a deletion does not show in a search). True when the server cannot
   * tell. Two requests, not one batch: HAPI's authorization refuses the history Bundles nested in a
   * batch response.
   */
  private boolean changedSince(Instant since) {
    if (!changeCheckAvailable) {
      return true;
    }
    changeChecks.incrementAndGet();
    List<Class<? extends org.hl7.fhir.r4.model.Resource>> types = new ArrayList<>();
    types.add(Device.class);
    if (assignmentsReachable.getAsBoolean()) {
      types.add(DeviceUseStatement.class);
    }
    Date from = Date.from(since.truncatedTo(ChronoUnit.MILLIS));
    for (var type : types) {
      Bundle history;
      try {
        history =
            fhir.history().onType(type).returnBundle(Bundle.class).since(from).count(1).execute();
      } catch (ForbiddenOperationException | AuthenticationException e) {
        changeCheckAvailable = false;
        log.warn(
            "The FHIR server refused the {} history ({}): the gateway now searches devices and"
                + " assignments for every batch",
            type.getSimpleName(),
            e.getStatusCode());
        return true;
      }
      if (!history.getEntry().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The gateway Device reference for a gateway id (created on first use). */
  @Override
  public Map<String, String> gateways(Collection<String> gatewayIds) {
    List<String> missing =
        gatewayIds.stream().filter(g -> !gatewayRefs.containsKey(g)).distinct().toList();
    if (!missing.isEmpty()) {
      gatewayRefs.putAll(create(missing, GATEWAY_ID_SYSTEM));
    }
    return gatewayIds.stream().distinct().collect(Collectors.toMap(g -> g, gatewayRefs::get));
  }

  /** One device (for the HTTP API), created when missing. */
  public DeviceIdentity device(String deviceId) {
    return devices(List.of(deviceId)).get(deviceId);
  }

  /**
   * Assigns a device to a patient from {@code start} (null = now) to {@code end} (null = open):
   * ends the device's open DeviceUseStatements at {@code start}, adds a new one and sets
   * Device.patient, in one FHIR transaction.
   */
  public DeviceIdentity assign(String deviceId, String patientRef, Instant start, Instant end) {
    if (!assignmentsReachable.getAsBoolean()) {
      throw new AssignmentsUnavailableException();
    }
    DeviceIdentity d = device(deviceId);
    Instant from = start == null ? Instant.now() : start;
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Bundle current =
        fhir.search()
            .forResource(DeviceUseStatement.class)
            .where(DeviceUseStatement.DEVICE.hasId(d.reference()))
            .returnBundle(Bundle.class)
            .execute();
    for (Bundle.BundleEntryComponent e : current.getEntry()) {
      DeviceUseStatement dus = (DeviceUseStatement) e.getResource();
      if (dus.hasTimingPeriod()
          && !dus.getTimingPeriod().hasEnd()
          && dus.getStatus() == DeviceUseStatement.DeviceUseStatementStatus.ACTIVE) {
        Period p = dus.getTimingPeriod();
        if (p.hasStart() && !p.getStart().toInstant().isBefore(from)) {
          dus.setStatus(DeviceUseStatement.DeviceUseStatementStatus.ENTEREDINERROR);
        } else {
          p.setEnd(java.util.Date.from(from));
          dus.setStatus(DeviceUseStatement.DeviceUseStatementStatus.COMPLETED);
        }
        tx.addEntry()
            .setResource(dus)
            .getRequest()
            .setMethod(Bundle.HTTPVerb.PUT)
            .setUrl("DeviceUseStatement/" + dus.getIdElement().getIdPart());
      }
    }
    DeviceUseStatement next = new DeviceUseStatement();
    next.setStatus(
        end == null
            ? DeviceUseStatement.DeviceUseStatementStatus.ACTIVE
            : DeviceUseStatement.DeviceUseStatementStatus.COMPLETED);
    next.setSubject(new Reference(patientRef));
    next.setDevice(new Reference(d.reference()));
    Period period = new Period().setStart(java.util.Date.from(from));
    if (end != null) {
      period.setEnd(java.util.Date.from(end));
    }
    next.setTiming(period);
    tx.addEntry()
        .setResource(next)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("DeviceUseStatement");
    Device device = fhir.read().resource(Device.class).withId(d.reference()).execute();
    device.setPatient(end == null ? new Reference(patientRef) : device.getPatient());
    tx.addEntry()
        .setResource(device)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.PUT)
        .setUrl(d.reference());
    fhir.transaction().withBundle(tx).execute();
    forgetCachedDevices();
    return device(deviceId);
  }

  private Map<String, DeviceIdentity> search(Collection<String> deviceIds) {
    Map<String, DeviceIdentity> out = new HashMap<>();
    if (deviceIds.isEmpty()) {
      return out;
    }
    List<String> ids = deviceIds.stream().distinct().toList();
    // Chunks keep the search request small; usually one request per batch.
    for (int from = 0; from < ids.size(); from += 200) {
      searches.incrementAndGet();
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 200));
      var query =
          fhir.search()
              .forResource(Device.class)
              .where(Device.IDENTIFIER.exactly().systemAndValues(DEVICE_ID_SYSTEM, chunk));
      if (assignmentsReachable.getAsBoolean()) {
        query = query.revInclude(DeviceUseStatement.INCLUDE_DEVICE);
      }
      Bundle page =
          query.count(1000).usingStyle(SearchStyleEnum.POST).returnBundle(Bundle.class).execute();
      Map<String, Device> devices = new HashMap<>();
      Map<String, List<DeviceIdentity.Assignment>> assignments = new HashMap<>();
      while (true) {
        for (Bundle.BundleEntryComponent e : page.getEntry()) {
          if (e.getResource() instanceof Device dev) {
            devices.put("Device/" + dev.getIdElement().getIdPart(), dev);
          } else if (e.getResource() instanceof DeviceUseStatement dus) {
            if (dus.getStatus() == DeviceUseStatement.DeviceUseStatementStatus.ENTEREDINERROR
                || !dus.hasSubject()) {
              continue;
            }
            Period p = dus.hasTimingPeriod() ? dus.getTimingPeriod() : new Period();
            assignments
                .computeIfAbsent(
                    dus.getDevice().getReferenceElement().toUnqualifiedVersionless().getValue(),
                    k -> new ArrayList<>())
                .add(
                    new DeviceIdentity.Assignment(
                        dus.getSubject().getReference(),
                        p.hasStart() ? p.getStart().toInstant() : null,
                        p.hasEnd() ? p.getEnd().toInstant() : null));
          }
        }
        if (page.getLink(Bundle.LINK_NEXT) == null) {
          break;
        }
        page = fhir.loadPage().next(page).execute();
      }
      for (var e : devices.entrySet()) {
        Device dev = e.getValue();
        String deviceId =
            dev.getIdentifier().stream()
                .filter(i -> DEVICE_ID_SYSTEM.equals(i.getSystem()))
                .map(Identifier::getValue)
                .findFirst()
                .orElse(null);
        if (deviceId != null) {
          out.put(
              deviceId,
              new DeviceIdentity(
                  e.getKey(),
                  dev.hasPatient() ? dev.getPatient().getReference() : null,
                  List.copyOf(assignments.getOrDefault(e.getKey(), List.of()))));
        }
      }
    }
    return out;
  }

  /** Conditional create (If-None-Exist on the identifier): concurrent gateways never make two. */
  private Map<String, String> create(List<String> ids, String system) {
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (String id : ids) {
      Device d = new Device();
      d.addIdentifier().setSystem(system).setValue(id);
      d.setStatus(Device.FHIRDeviceStatus.ACTIVE);
      d.addDeviceName().setName(id).setType(Device.DeviceNameType.USERFRIENDLYNAME);
      if (system.equals(DEVICE_ID_SYSTEM)) {
        d.setType(
            new CodeableConcept()
                .addCoding(new Coding(Mdc.SYSTEM, "65573", "MDC_MOC_VMS_MDS_SIMP")));
      }
      tx.addEntry()
          .setResource(d)
          .getRequest()
          .setMethod(Bundle.HTTPVerb.POST)
          .setUrl("Device")
          .setIfNoneExist("identifier=" + system + "|" + id);
    }
    Bundle resp = fhir.transaction().withBundle(tx).execute();
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      String location = resp.getEntry().get(i).getResponse().getLocation();
      out.put(
          ids.get(i),
          new org.hl7.fhir.r4.model.IdType(location).toUnqualifiedVersionless().getValue());
    }
    return out;
  }

  /** The gateway's FHIR client is not registered for DeviceUseStatement. */
  public static class AssignmentsUnavailableException extends RuntimeException {
    AssignmentsUnavailableException() {
      super(
          "the gateway's FHIR client has no DeviceUseStatement scope (system/DeviceUseStatement.cruds"
              + " is not in its registration): assign the device through FHIR (Device.patient)"
              + " or register the scope");
    }
  }
}
