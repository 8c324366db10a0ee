package org.vitals.fhir.security.authserver;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.StringParam;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;
import org.vitals.fhir.security.LaunchContexts;

/**
 * The patient picker of a clinician's standalone launch: a plain server-rendered list of patients
 * (filter by name); choosing one mints a launch for that patient and resumes the authorization.
 */
@Controller
class PatientPickerController {

  private final DaoRegistry daos;
  private final LaunchContexts launches;

  PatientPickerController(DaoRegistry daos, LaunchContexts launches) {
    this.daos = daos;
    this.launches = launches;
  }

  @GetMapping(value = "/smart/patient-picker", produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> picker(
      @RequestParam(value = "q", required = false) String name,
      HttpServletRequest request,
      HttpSession session) {
    if (session.getAttribute(PatientPickerRedirectFilter.SAVED_QUERY) == null) {
      return ResponseEntity.badRequest()
          .contentType(MediaType.TEXT_PLAIN)
          .body("No authorization in progress: start the app again.");
    }
    CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Choose a patient</title><style>body{font-family:sans-serif;margin:2em}")
        .append("li{margin:.4em 0}button{font-size:1em}</style></head><body>")
        .append("<h1>Choose a patient</h1><form method=\"get\"><input name=\"q\" value=\"")
        .append(name == null ? "" : HtmlUtils.htmlEscape(name))
        .append(
            "\" placeholder=\"name\" aria-label=\"patient name\"> <button>Search</button></form>")
        .append("<form method=\"post\"><input type=\"hidden\" name=\"")
        .append(csrf.getParameterName())
        .append("\" value=\"")
        .append(csrf.getToken())
        .append("\"><ul>");
    for (IBaseResource resource : patients(name)) {
      Patient patient = (Patient) resource;
      String id = patient.getIdElement().getIdPart();
      html.append("<li><button name=\"patient\" value=\"")
          .append(HtmlUtils.htmlEscape(id))
          .append("\">")
          .append(HtmlUtils.htmlEscape(display(patient)))
          .append("</button> ")
          .append(
              HtmlUtils.htmlEscape(
                  patient.hasBirthDate() ? patient.getBirthDateElement().getValueAsString() : ""))
          .append("</li>");
    }
    html.append("</ul></form></body></html>");
    return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(html.toString());
  }

  @PostMapping("/smart/patient-picker")
  ResponseEntity<String> choose(
      @RequestParam("patient") String patient, Principal user, HttpSession session) {
    String query = (String) session.getAttribute(PatientPickerRedirectFilter.SAVED_QUERY);
    if (query == null) {
      return ResponseEntity.badRequest()
          .contentType(MediaType.TEXT_PLAIN)
          .body("No authorization in progress: start the app again.");
    }
    session.removeAttribute(PatientPickerRedirectFilter.SAVED_QUERY);
    String launch = launches.mint(patient, null, user.getName(), true);
    return ResponseEntity.status(302)
        .header("Location", "/oauth2/authorize?" + query + "&launch=" + launch)
        .build();
  }

  private List<IBaseResource> patients(String name) {
    @SuppressWarnings("unchecked")
    IFhirResourceDao<Patient> dao = daos.getResourceDao(Patient.class);
    SearchParameterMap search = SearchParameterMap.newSynchronous();
    search.setCount(50);
    if (name != null && !name.isBlank()) {
      search.add(Patient.SP_NAME, new StringParam(name));
    }
    return dao.search(search, new SystemRequestDetails()).getResources(0, 50);
  }

  private static String display(Patient patient) {
    if (!patient.hasName()) {
      return "Patient/" + patient.getIdElement().getIdPart();
    }
    return patient.getNameFirstRep().getNameAsSingleString();
  }
}
