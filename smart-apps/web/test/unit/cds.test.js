// Unit tests of the doctor app's CDS Hooks request (node --test): relay by default, direct on ?cds=.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { patientViewRequest, relayBase } from '../../src/shared/cds.js';

const state = {
  serverUrl: 'https://vitals.example.org/fhir',
  clientId: 'vitals-doctor-app',
  tokenResponse: { access_token: 'tok-123', expires_in: 3600, scope: 'launch user/*.rs' },
};

test('the relay is on the FHIR server origin, beside /fhir', () => {
  assert.equal(relayBase('https://vitals.example.org/fhir'), 'https://vitals.example.org/cds-relay');
  assert.equal(relayBase('http://localhost:18080/fhir/'), 'http://localhost:18080/cds-relay');
});

test('without a CDS base the call goes to the relay with the token as bearer and not in the body', () => {
  const r = patientViewRequest(state, 'https://vitals.example.org/fhir/Practitioner/pr1', 'p1', 'e1', null);
  assert.equal(r.url, 'https://vitals.example.org/cds-relay/cds-services/vitals-ai');
  assert.equal(r.headers.Authorization, 'Bearer tok-123');
  assert.equal(r.body.fhirAuthorization, undefined);
  assert.equal(r.body.fhirServer, undefined);
  assert.deepEqual(r.body.context, { userId: 'Practitioner/pr1', patientId: 'p1', encounterId: 'e1' });
  assert.equal(r.body.hook, 'patient-view');
});

test('a CDS base named at launch is called directly with fhirAuthorization and no bearer', () => {
  const r = patientViewRequest(state, 'Practitioner/pr1', 'p2', null, 'http://localhost:8082/');
  assert.equal(r.url, 'http://localhost:8082/cds-services/vitals-ai');
  assert.equal(r.headers.Authorization, undefined);
  assert.equal(r.body.fhirServer, 'https://vitals.example.org/fhir');
  assert.equal(r.body.fhirAuthorization.access_token, 'tok-123');
  assert.equal(r.body.fhirAuthorization.subject, 'vitals-doctor-app');
  assert.deepEqual(r.body.context, { userId: 'Practitioner/pr1', patientId: 'p2' });
});
