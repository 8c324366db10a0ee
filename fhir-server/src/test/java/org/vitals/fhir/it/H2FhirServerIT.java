package org.vitals.fhir.it;

import org.vitals.fhir.security.testing.SecuredH2Server;

/**
 * The server contract on the embedded default: H2 in a file under the data folder, security on (the
 * client holds a backend-services token).
 */
@SecuredH2Server
class H2FhirServerIT extends FhirServerContract {}
