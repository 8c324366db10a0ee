// Validates the deployment files without a cluster or a Docker engine (deploy/check/check.sh).
//
//  1. Kubernetes: renders every Kustomize overlay (and the base) with `kubectl kustomize`, then
//     checks each object against the Kubernetes schemas (kubernetes-models: types, enums,
//     required fields) and, stricter than that, refuses fields the schema does not know (the
//     property lists of the same package's type declarations), like kubeconform -strict.
//  2. The project's own rules for the rendered objects: probes and resources on every container,
//     non-root, no literal secrets, Services and HPAs that point at something, the replica rules
//     (one FHIR primary and one CDS monitor, Recreate), the gateway's shared subscription group,
//     ConfigMaps/Secrets referenced vs. present or documented.
//  3. docker-compose.yml: parses, every service has an image or a build whose Dockerfile exists,
//     healthchecks, no literal secret values, depends_on points at services.
//  4. The Dockerfiles: the build step is the Maven command CI runs
//     (`mvn -B -DskipTests package -pl <module> -am`), the jar copied is the one that command
//     makes, JRE 17 runtime, non-root USER, HEALTHCHECK and EXPOSE on the module's port.
//     The image runs the extracted layout (application jar beside lib/), as scripts/run-local does.
//
// usage: node validate.mjs <repository root>   (exit 1 and a list of problems when any)

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { parseAllDocuments, parse as parseYaml } from "yaml";

const root = resolve(process.argv[2] || join(import.meta.dirname, "..", ".."));
const require = createRequire(import.meta.url);
const problems = [];
let checks = 0;
const problem = (where, what) => problems.push(`${where}: ${what}`);

// ---- 1. Kubernetes schemas ----------------------------------------------------------------------

const k8sDir = join(root, "deploy", "k8s");
const kustomize = (process.env.KUSTOMIZE || "kubectl kustomize").split(" ");

function render(dir) {
  const out = execFileSync(kustomize[0], [...kustomize.slice(1), dir], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const docs = [];
  for (const doc of parseAllDocuments(out)) {
    if (doc.errors.length) throw new Error(`${dir}: ${doc.errors[0].message}`);
    const obj = doc.toJS();
    if (obj) docs.push(obj);
  }
  return docs;
}

// kubernetes-models class for apiVersion/kind: "apps/v1" Deployment -> kubernetes-models/apps/v1/Deployment
async function modelFor(apiVersion, kind) {
  const path = `kubernetes-models/${apiVersion}/${kind}`;
  try {
    const mod = await import(path);
    return mod[kind] || mod.default;
  } catch {
    return null;
  }
}

// Strict fields: property names from the generated .d.ts of each type.
const dtsCache = new Map();
function dtsInfo(file) {
  if (dtsCache.has(file)) return dtsCache.get(file);
  const text = readFileSync(file, "utf8");
  const imports = new Map();
  for (const m of text.matchAll(/import \{ (\w+)(?: as (\w+))? \} from "([^"]+)";/g)) {
    imports.set(m[2] || m[1], m[3]);
  }
  // The exported interface is the one whose name starts with I and matches the file's type.
  const props = new Map();
  const body = text.match(/export interface I\w+(?: extends [\w, ]+)? \{([\s\S]*?)\n\}/);
  // Members sit at four spaces; deeper lines belong to inline map types.
  if (body) {
    for (const m of body[1].matchAll(/^ {4}"([^"]+)"\??: (.+?);?$/gm)) props.set(m[1], m[2]);
  }
  const info = { props, imports, file, open: /^ {4}\[key: string\]/m.test(body ? body[1] : "") };
  dtsCache.set(file, info);
  return info;
}

function resolveImport(fromFile, spec) {
  if (spec.startsWith(".")) return resolve(dirname(fromFile), spec.replace(/\.js$/, ".d.ts"));
  // package import, e.g. @kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta
  try {
    return require.resolve(spec.replace(/\.js$/, "") + ".d.ts");
  } catch {
    const pkgPath = spec.replace(/\.js$/, "");
    const parts = pkgPath.startsWith("@") ? pkgPath.split("/").slice(0, 2) : pkgPath.split("/").slice(0, 1);
    const pkgRoot = dirname(require.resolve(parts.join("/") + "/package.json"));
    return join(pkgRoot, pkgPath.split("/").slice(parts.length).join("/") + ".d.ts");
  }
}

function strictCheck(obj, file, path, where) {
  if (obj === null || typeof obj !== "object" || !existsSync(file)) return;
  const info = dtsInfo(file);
  if (info.props.size === 0 || info.open) return;
  for (const [key, value] of Object.entries(obj)) {
    const type = info.props.get(key);
    if (type === undefined) {
      problem(where, `unknown field ${path}.${key}`);
      continue;
    }
    const m = type.match(/^(?:Array<)?(I\w+)>?$/);
    if (!m || !info.imports.has(m[1])) continue;
    const next = resolveImport(file, info.imports.get(m[1]));
    if (Array.isArray(value)) value.forEach((v, i) => strictCheck(v, next, `${path}.${key}[${i}]`, where));
    else strictCheck(value, next, `${path}.${key}`, where);
  }
}

function dtsOf(apiVersion, kind) {
  try {
    return require.resolve(`kubernetes-models/${apiVersion}/${kind}.d.ts`);
  } catch {
    return join(dirname(require.resolve("kubernetes-models/package.json")), apiVersion, `${kind}.d.ts`);
  }
}

async function validateObjects(label, objects) {
  for (const obj of objects) {
    const where = `${label} ${obj.kind}/${obj.metadata?.name}`;
    const Model = await modelFor(obj.apiVersion, obj.kind);
    checks++;
    if (!Model) {
      problem(where, `no Kubernetes schema for ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      problem(where, `schema: ${String(e.message).split("\n").slice(0, 5).join("; ")}`);
    }
    strictCheck(obj, dtsOf(obj.apiVersion, obj.kind), obj.kind, where);
  }
}

// ---- 2. project rules --------------------------------------------------------------------------

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);
const SECRETISH = /(PASSWORD|SECRET|TOKEN|PRIVATE|_KEY$)/;

function documentedSecrets() {
  const doc = join(root, "docs", "deployment.md");
  return existsSync(doc) ? readFileSync(doc, "utf8") : "";
}

function projectRules(label, objects) {
  const byKind = (k) => objects.filter((o) => o.kind === k);
  const named = (k, n) => objects.find((o) => o.kind === k && o.metadata.name === n);
  const configMaps = new Set(byKind("ConfigMap").map((o) => o.metadata.name));
  const deploymentDoc = documentedSecrets();
  const workloads = objects.filter((o) => WORKLOADS.has(o.kind));

  for (const w of workloads) {
    const where = `${label} ${w.kind}/${w.metadata.name}`;
    const pod = w.spec.template.spec;
    const podLabels = w.spec.template.metadata?.labels || {};
    checks++;
    for (const [k, v] of Object.entries(w.spec.selector?.matchLabels || {})) {
      if (podLabels[k] !== v) problem(where, `selector ${k}=${v} does not match the pod labels`);
    }
    const podSc = pod.securityContext || {};
    for (const c of pod.containers) {
      const cw = `${where} container ${c.name}`;
      if (!c.livenessProbe) problem(cw, "no livenessProbe");
      if (!c.readinessProbe) problem(cw, "no readinessProbe");
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) problem(cw, "no cpu/memory requests");
      if (!c.resources?.limits?.memory) problem(cw, "no memory limit");
      if (!(c.securityContext?.runAsNonRoot ?? podSc.runAsNonRoot)) problem(cw, "may run as root (runAsNonRoot)");
      if (c.securityContext?.allowPrivilegeEscalation !== false) problem(cw, "allowPrivilegeEscalation is not false");
      if (!/:[\w.-]+$/.test(c.image) || /:latest$/.test(c.image)) problem(cw, `image ${c.image} has no pinned tag`);
      for (const e of c.env || []) {
        if (SECRETISH.test(e.name) && e.value !== undefined && !String(e.value).startsWith("/")) {
          problem(cw, `${e.name} is a literal; take it from a Secret`);
        }
        const ref = e.valueFrom?.configMapKeyRef?.name;
        if (ref && !configMaps.has(ref)) problem(cw, `env ${e.name} refers to a missing ConfigMap ${ref}`);
      }
      for (const f of c.envFrom || []) {
        if (f.configMapRef && !configMaps.has(f.configMapRef.name)) {
          problem(cw, `envFrom refers to a missing ConfigMap ${f.configMapRef.name}`);
        }
      }
    }
    const secrets = new Set();
    for (const c of pod.containers) {
      for (const e of c.env || []) if (e.valueFrom?.secretKeyRef) secrets.add(e.valueFrom.secretKeyRef.name);
      for (const f of c.envFrom || []) if (f.secretRef) secrets.add(f.secretRef.name);
    }
    for (const v of pod.volumes || []) {
      if (v.configMap && !configMaps.has(v.configMap.name)) problem(where, `volume ${v.name}: missing ConfigMap ${v.configMap.name}`);
      if (v.secret) secrets.add(v.secret.secretName);
      if (v.persistentVolumeClaim && !named("PersistentVolumeClaim", v.persistentVolumeClaim.claimName)) {
        problem(where, `volume ${v.name}: missing PersistentVolumeClaim ${v.persistentVolumeClaim.claimName}`);
      }
    }
    for (const s of secrets) {
      if (!named("Secret", s) && !deploymentDoc.includes("`" + s + "`")) {
        problem(where, `Secret ${s} is neither rendered nor documented in docs/deployment.md`);
      }
    }
  }

  for (const svc of byKind("Service")) {
    const where = `${label} Service/${svc.metadata.name}`;
    checks++;
    const sel = svc.spec.selector || {};
    const targets = workloads.filter((w) =>
      Object.entries(sel).every(([k, v]) => (w.spec.template.metadata?.labels || {})[k] === v),
    );
    if (targets.length === 0) {
      problem(where, "selects no pod template");
      continue;
    }
    for (const p of svc.spec.ports) {
      if (typeof p.targetPort !== "string") continue;
      const ok = targets.some((w) =>
        w.spec.template.spec.containers.some((c) => (c.ports || []).some((cp) => cp.name === p.targetPort)),
      );
      if (!ok) problem(where, `targetPort ${p.targetPort} is no container port of the selected pods`);
    }
  }

  for (const hpa of byKind("HorizontalPodAutoscaler")) {
    checks++;
    const t = hpa.spec.scaleTargetRef;
    if (!named(t.kind, t.name)) problem(`${label} HPA/${hpa.metadata.name}`, `target ${t.kind}/${t.name} not rendered`);
  }

  for (const ing of byKind("Ingress")) {
    checks++;
    for (const rule of ing.spec.rules || []) {
      for (const p of rule.http?.paths || []) {
        const s = p.backend.service;
        const svc = named("Service", s.name);
        if (!svc) problem(`${label} Ingress/${ing.metadata.name}`, `backend Service ${s.name} not rendered`);
        else if (s.port.name && !svc.spec.ports.some((sp) => sp.name === s.port.name)) {
          problem(`${label} Ingress/${ing.metadata.name}`, `Service ${s.name} has no port ${s.port.name}`);
        }
      }
    }
  }

  for (const pdb of byKind("PodDisruptionBudget")) {
    checks++;
    const sel = pdb.spec.selector?.matchLabels || {};
    const hit = workloads.some((w) => Object.entries(sel).every(([k, v]) => (w.spec.template.metadata?.labels || {})[k] === v));
    if (!hit) problem(`${label} PDB/${pdb.metadata.name}`, "selects no pod template");
  }

  // Replica rules (docs/deployment.md, "What runs where").
  const env = (w, name) => w?.spec.template.spec.containers[0].env?.find((e) => e.name === name);
  const primary = named("Deployment", "fhir-server");
  checks++;
  if (!primary) problem(label, "no fhir-server Deployment (the primary)");
  else {
    if (primary.spec.replicas !== 1) problem(label, "fhir-server (primary: writes and subscription delivery) must have replicas: 1");
    if (primary.spec.strategy?.type !== "Recreate") problem(label, "fhir-server (primary) must use strategy Recreate");
    if (byKind("HorizontalPodAutoscaler").some((h) => h.spec.scaleTargetRef.name === "fhir-server")) {
      problem(label, "fhir-server (primary) must not be autoscaled");
    }
  }
  const read = named("Deployment", "fhir-server-read");
  if (read && env(read, "VITALS_SUBSCRIPTIONS")?.value !== "off") problem(label, "fhir-server-read must set VITALS_SUBSCRIPTIONS=off");
  const monitor = named("Deployment", "cds-monitor");
  checks++;
  if (!monitor || monitor.spec.replicas !== 1 || monitor.spec.strategy?.type !== "Recreate") {
    problem(label, "cds-monitor must exist with replicas: 1 and strategy Recreate");
  } else if (env(monitor, "VITALS_MONITOR")?.value !== "true") problem(label, "cds-monitor must set VITALS_MONITOR=true");
  const cds = named("Deployment", "cds-hooks");
  if (cds && env(cds, "VITALS_MONITOR")?.value !== "false") problem(label, "cds-hooks (scaled) must set VITALS_MONITOR=false");
  const gw = named("StatefulSet", "device-gateway");
  checks++;
  const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("vitals-config"));
  if (!gw) problem(label, "no device-gateway StatefulSet");
  else if (!/^\$share\/[^/+#]+\//.test(config?.data?.VITALS_MQTT_TOPIC || "")) {
    problem(label, "the scaled gateway needs an MQTT 5 shared subscription: VITALS_MQTT_TOPIC=$share/<group>/...");
  }
  else if (!/\$\(POD_NAME\)/.test(env(gw, "VITALS_MQTT_CLIENT_ID")?.value || "")) {
    problem(label, "each gateway replica needs its own MQTT client id (VITALS_MQTT_CLIENT_ID from the pod name)");
  }
}

// ---- 3. docker-compose.yml --------------------------------------------------------------------

function checkCompose() {
  const file = join(root, "docker-compose.yml");
  if (!existsSync(file)) return problem("docker-compose.yml", "missing");
  let compose;
  try {
    compose = parseYaml(readFileSync(file, "utf8"), { merge: true });
  } catch (e) {
    return problem("docker-compose.yml", `does not parse: ${e.message}`);
  }
  const services = compose.services || {};
  for (const need of ["postgres", "mosquitto", "fhir-server", "device-gateway", "cds-hooks"]) {
    checks++;
    if (!services[need]) problem("docker-compose.yml", `no service ${need}`);
  }
  for (const [name, s] of Object.entries(services)) {
    const where = `docker-compose.yml service ${name}`;
    checks++;
    if (!s.image && !s.build) problem(where, "neither image nor build");
    if (s.build) {
      const df = join(root, s.build.context || ".", s.build.dockerfile || "Dockerfile");
      if (!existsSync(df)) problem(where, `Dockerfile ${s.build.dockerfile} not found`);
    }
    if (!s.profiles && !s.healthcheck) {
      const fromImage = Object.values(services).some((o) => o.build && o.image === s.image);
      if (!fromImage) problem(where, "no healthcheck");
    }
    for (const dep of Object.keys(s.depends_on || {})) {
      if (!services[dep]) problem(where, `depends_on ${dep}: no such service`);
    }
    const envs = Array.isArray(s.environment)
      ? Object.fromEntries(s.environment.map((e) => e.split("=")))
      : s.environment || {};
    for (const [k, v] of Object.entries(envs)) {
      if (SECRETISH.test(k) && v && !String(v).includes("${") && !String(v).startsWith("/")) {
        problem(where, `${k} is a literal; take it from the environment`);
      }
    }
    for (const vol of s.volumes || []) {
      const src = String(vol).split(":")[0];
      if (src.startsWith("./") && !src.includes("${") && !existsSync(join(root, src))) {
        problem(where, `bind mount ${src} does not exist`);
      }
    }
  }
}

// ---- 4. Dockerfiles ---------------------------------------------------------------------------

function checkDockerfiles() {
  const rootPom = readFileSync(join(root, "pom.xml"), "utf8");
  for (const module of ["fhir-server", "device-gateway", "cds-hooks"]) {
    const where = `${module}/Dockerfile`;
    const file = join(root, module, "Dockerfile");
    checks++;
    if (!existsSync(file)) {
      problem(where, "missing");
      continue;
    }
    const text = readFileSync(file, "utf8").replace(/\\\n\s*/g, " ");
    const pom = readFileSync(join(root, module, "pom.xml"), "utf8");
    const finalName = (pom.match(/<finalName>([^<]+)<\/finalName>/) || [])[1];
    const app = ["src/main/resources/application.yaml", "src/main/resources/application.yml"]
      .map((p) => join(root, module, p))
      .find(existsSync);
    const port = app && (readFileSync(app, "utf8").match(/port: \$\{SERVER_PORT:(\d+)\}/) || [])[1];
    if (!rootPom.includes(`<module>${module}</module>`)) problem(where, `${module} is not in the root reactor CI builds`);
    const runs = [...text.matchAll(/^RUN (.*)$/gm)].map((m) => m[1]);
    const mvn = runs.filter((r) => /\bmvn\b/.test(r));
    const expected = `mvn -B -DskipTests package -pl ${module} -am`;
    if (mvn.length !== 1) problem(where, `expected exactly one Maven build step, found ${mvn.length}`);
    else if (!mvn[0].replace(/--mount=\S+\s*/g, "").trim().endsWith(expected)) {
      problem(where, `the build step is not the CI build "${expected}": ${mvn[0]}`);
    }
    const froms = [...text.matchAll(/^FROM (\S+)(?: AS (\w+))?/gm)];
    if (froms.length < 2) problem(where, "not multi-stage");
    const runtime = froms[froms.length - 1]?.[1] || "";
    if (!/^eclipse-temurin:17[\w.-]*-jre/.test(runtime)) problem(where, `runtime image ${runtime} is not a JRE 17`);
    if (!finalName) problem(where, "the module's pom has no finalName");
    else if (!text.includes(`/${module}/target/${finalName}.jar`)) {
      problem(where, `does not copy ${module}/target/${finalName}.jar (what the build makes)`);
    }
    // The image runs the extracted layout, as scripts/run-local does (faster start-up).
    if (finalName) {
      const extracts = runs.some((r) => r.includes(`-Djarmode=tools -jar /opt/vitals/${finalName}.jar extract --destination /opt/vitals/app`));
      const entry = (text.match(/^ENTRYPOINT (.*)$/m) || [])[1] || "";
      if (!extracts) problem(where, `no RUN step extracts ${finalName}.jar to /opt/vitals/app (java -Djarmode=tools ... extract)`);
      if (!entry.includes(`"/opt/vitals/app/${finalName}.jar"`)) problem(where, `ENTRYPOINT does not run the extracted /opt/vitals/app/${finalName}.jar: ${entry}`);
    }
    const user = (text.match(/^USER (\S+)/m) || [])[1];
    if (!user || /^(root|0)(:|$)/.test(user)) problem(where, "no non-root USER");
    if (!port) problem(where, "cannot read the module's default port from application.yaml");
    else {
      if (!new RegExp(`^EXPOSE ${port}$`, "m").test(text)) problem(where, `EXPOSE ${port} missing`);
      const hc = (text.match(/^HEALTHCHECK .*$/m) || [""])[0];
      if (!hc.includes(`/${port}`) || !hc.includes("/actuator/health")) {
        problem(where, `HEALTHCHECK does not ask /actuator/health on port ${port}`);
      }
    }
    // The jar CI built (scripts/test runs mvn -B verify before this check) is the one copied.
    if (finalName && process.env.VITALS_CHECK_JARS === "1" && !existsSync(join(root, module, "target", `${finalName}.jar`))) {
      problem(where, `${module}/target/${finalName}.jar was not built by the CI build`);
    }
  }
}

// ---- run ------------------------------------------------------------------------------------

const targets = [join(k8sDir, "base")];
const overlays = join(k8sDir, "overlays");
if (existsSync(overlays)) {
  for (const d of readdirSync(overlays).sort()) targets.push(join(overlays, d));
}
for (const dir of targets) {
  const label = dir.slice(k8sDir.length + 1);
  let objects;
  try {
    objects = render(dir);
  } catch (e) {
    problem(label, `does not render: ${(e.stderr || e.message).toString().trim()}`);
    continue;
  }
  console.log(`rendered ${label}: ${objects.length} objects`);
  await validateObjects(label, objects);
  projectRules(label, objects);
}
checkCompose();
checkDockerfiles();

for (const p of problems) console.log(`FAIL ${p}`);
console.log(`deploy check: ${checks} checks over ${targets.length} Kustomize targets, docker-compose.yml and 3 Dockerfiles`);
console.log(`${checks - Math.min(problems.length, checks)} passed, ${problems.length} failed`);
process.exit(problems.length ? 1 : 0);
