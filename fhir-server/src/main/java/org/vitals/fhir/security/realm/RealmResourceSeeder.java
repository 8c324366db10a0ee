package org.vitals.fhir.security.realm;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Embedded demo only: creates the demo users' Practitioner and Patient resources (and an
 * in-progress ward Encounter per demo patient, {@code Encounter/<patient id>-ward}) when missing,
 * so sign-in, launch and fhirUser resolve on a fresh data folder.
 */
@Component
class RealmResourceSeeder {

  private static final Logger log = LoggerFactory.getLogger(RealmResourceSeeder.class);

  private final SecurityRealm realm;
  private final DaoRegistry daos;

  RealmResourceSeeder(SecurityRealm realm, DaoRegistry daos) {
    this.realm = realm;
    this.daos = daos;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void seed() {
    if (!realm.seedResources()) {
      return;
    }
    int created = 0;
    for (SecurityRealm.User user : realm.users()) {
      IdType id = new IdType(user.fhirUser());
      if (user.practitioner()) {
        Practitioner practitioner = new Practitioner();
        practitioner.setId(id);
        practitioner.addName(name(user.name()));
        practitioner.setActive(true);
        created += createIfMissing(practitioner, id);
      } else if (user.patient()) {
        Patient patient = new Patient();
        patient.setId(id);
        patient.addName(name(user.name()));
        patient.addIdentifier().setSystem("urn:vitals:demo-mrn").setValue(id.getIdPart());
        if (user.gender() != null) {
          patient.setGender(AdministrativeGender.fromCode(user.gender()));
        }
        if (user.birthDate() != null) {
          patient.setBirthDateElement(new DateType(user.birthDate()));
        }
        created += createIfMissing(patient, id);
        Encounter ward = new Encounter();
        IdType encounterId = new IdType("Encounter", id.getIdPart() + "-ward");
        ward.setId(encounterId);
        ward.setStatus(Encounter.EncounterStatus.INPROGRESS);
        ward.getClass_()
            .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
            .setCode("IMP")
            .setDisplay("inpatient encounter");
        ward.setSubject(new Reference(id.toUnqualifiedVersionless()));
        created += createIfMissing(ward, encounterId);
      }
    }
    if (created > 0) {
      log.info("demo realm: created {} Practitioner/Patient/Encounter resources", created);
    }
  }

  private int createIfMissing(IBaseResource resource, IdType id) {
    @SuppressWarnings("unchecked")
    IFhirResourceDao<IBaseResource> dao =
        (IFhirResourceDao<IBaseResource>) daos.getResourceDao(id.getResourceType());
    SystemRequestDetails request = new SystemRequestDetails();
    try {
      dao.read(id, request);
      return 0;
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      dao.update(resource, request);
      return 1;
    }
  }

  private static HumanName name(String full) {
    HumanName name = new HumanName().setText(full);
    int space = full.lastIndexOf(' ');
    if (space > 0) {
      name.addGiven(full.substring(0, space)).setFamily(full.substring(space + 1));
    } else {
      name.setFamily(full);
    }
    return name;
  }
}
