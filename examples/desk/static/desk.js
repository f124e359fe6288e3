// The attendance desk: the seed's Relacionamento screen over Ficha's HTTP
// API (mounted at /api). Plain JavaScript, no build step, no library.
// Every value shown comes from the API and is written with textContent or
// as an input's value, never as HTML.
"use strict";

const api = "/api";

// Texts shown to attendants, in Brazilian Portuguese and English.
const texts = {
  "pt-BR": {
    title: "Relacionamento — Cliente/Prospects", language: "Idioma", recordSections: "Seções do cadastro",
    kindChanged: "O tipo de pessoa mudou: as informações adicionais que não se aplicam a ele serão removidas ao gravar.", agendaTitle: "Agenda de hoje",
    agendaEmpty: "Nenhum contato agendado para hoje.", open: "Abrir",
    searchTitle: "Pesquisar cliente", fullName: "Nome completo", phone: "Telefone", taxID: "CPF/CNPJ",
    company: "Empresa", vin: "Chassi", plate: "Placa", dmsCustomer: "Código do cliente no DMS",
    serviceOrder: "Código de ordem de serviço no DMS", email: "E-mail", search: "Pesquisar", clear: "Limpar",
    results: "Clientes encontrados", name: "Nome", cityUF: "Cidade/UF", status: "Situação", actions: "Ações",
    edit: "Alterar", save: "Gravar", reload: "Recarregar", printSheet: "Imprimir ficha", close: "Fechar",
    tabProfile: "Perfil do Cliente", tabAddresses: "Endereços Adicionais", tabAssets: "Bens",
    tabPersonal: "Ref. Pessoal", tabBank: "Ref. Bancária", tabCards: "Cartões de Crédito", tabContacts: "Contatos",
    tabInfo: "Informações Adicionais", kind: "Tipo de pessoa", individual: "Física", companyKind: "Jurídica",
    prospect: "Prospect", customer: "Cliente", tradeName: "Nome fantasia", employer: "Empresa onde trabalha",
    birthDate: "Data de nascimento / fundação", phonesOnePerLine: "Telefones (um por linha)",
    emailsOnePerLine: "E-mails (um por linha)", serviceOrdersOnePerLine: "Ordens de serviço no DMS (uma por linha)",
    notes: "Observações", sheetTitle: "Ficha do cliente", print: "Imprimir",
    typeAKey: "Digite ao menos um campo para pesquisar.", searching: "Pesquisando…",
    found: (n) => n === 1 ? "1 cliente encontrado." : `${n} clientes encontrados.`,
    foundMore: "Há mais resultados: refine a pesquisa.", noneFound: "Nenhum cliente encontrado.",
    changeRecord: "Alterar cadastro", version: (v, t) => `Versão ${v} · atualizado em ${t}`,
    locked: "bloqueado", lockedTitle: "Este campo não pode ser alterado neste cadastro.",
    saved: "Cadastro gravado.", entrySaved: "Registro incluído.", entryChanged: "Registro alterado.", entryRemoved: "Registro excluído.",
    fixFields: "Não foi possível gravar: corrija os campos indicados.",
    conflict: "Este cadastro foi alterado por outra pessoa ou em outra janela depois que você o abriu. Nada foi gravado. Clique Recarregar para ver a versão atual e refaça a alteração.",
    notFound: "Este cadastro não existe mais.", failed: "Não foi possível concluir. Tente de novo.",
    unsaved: "Há alterações não gravadas. Descartá-las?", confirmRemove: "Excluir este registro?",
    include: "Incluir", change: "Alterar", remove: "Excluir", none: "Nenhum registro.",
    includeAddress: "Incluir Endereço", cep: "CEP", lookupCEP: "Consultar CEP", street: "Logradouro", number: "Número",
    complement: "Complemento", district: "Bairro", city: "Cidade", uf: "UF", purposes: "Finalidade",
    correspondence: "Correspondência", billing: "Cobrança", cepFound: "Endereço preenchido pelo CEP.",
    cepNotFound: "CEP não encontrado.", cepDown: "Consulta de CEP indisponível: preencha o endereço.",
    description: "Descrição", assetKind: "Tipo", vehicle: "Veículo", realEstate: "Imóvel", other: "Outro",
    year: "Ano", lienBalance: "Ônus (saldo devedor)", creditor: "Nome do credor", payoffDate: "Data da liquidação",
    value: "Valor (quitado)", renavam: "RENAVAM", note: "Observação", bankCode: "Banco (código)", branch: "Agência",
    branchDigit: "Dígito da agência", account: "Conta", accountDigit: "Dígito da conta", cardNumber: "Número do cartão",
    cardNumberHelp: "O número completo é enviado uma vez; ficam só a bandeira, os 6 primeiros e os 4 últimos dígitos.",
    holder: "Nome impresso", expiryMonth: "Validade (mês)", expiryYear: "Validade (ano)", card: "Cartão",
    role: "Cargo", birthday: "Data de aniversário", day: "Dia", month: "Mês", fleetManager: "Responsável pela frota",
    preferredDay: "Dia para contato", preferredHour: "Hora para contato", anyDay: "Qualquer dia",
    weekdays: ["Segunda-feira", "Terça-feira", "Quarta-feira", "Quinta-feira", "Sexta-feira", "Sábado", "Domingo"],
    yes: "Sim", no: "Não", choose: "—", infoSaved: "As informações adicionais são gravadas com o cadastro (Gravar).",
    entryTitles: { addresses: "Endereço", assets: "Bem", personal_references: "Referência pessoal", bank_references: "Referência bancária", cards: "Cartão de crédito", contacts: "Contato" },
    tabConsent: "Consentimentos", consentCaption: "Consentimentos em vigor", consentChannel: "Canal", consentPurpose: "Finalidade",
    consentState: "Situação", consentSince: "Desde", consentNone: "Nenhum consentimento registrado: sem registro, nenhuma mensagem é enviada.",
    cancelSMS: "Cancelar SMS", confirmCancelSMS: "Cancelar o envio de SMS para este cliente, em todas as finalidades?",
    smsCancelled: "SMS cancelado: os telefones do cliente não recebem mais SMS.", consentRecord: "Registrar declaração do cliente",
    consentNotice: "Termo apresentado", consentReference: "Referência (nº da ficha assinada)", consentSave: "Registrar",
    consentSaved: "Declaração registrada.", chCall: "Ligação", chPost: "Correspondência", pMarketing: "Ofertas e novidades",
    pService: "Avisos de serviço e recalls", pSurveys: "Pesquisas de satisfação", sGranted: "concedido", sDenied: "negado", sWithdrawn: "revogado",
  },
  en: {
    title: "Relationship — Customers/Prospects", language: "Language", recordSections: "Record sections",
    kindChanged: "The kind changed: additional information that does not apply to it will be removed on save.", agendaTitle: "Today's agenda",
    agendaEmpty: "No contacts scheduled for today.", open: "Open",
    searchTitle: "Find a customer", fullName: "Full name", phone: "Phone", taxID: "CPF/CNPJ",
    company: "Company", vin: "VIN (chassis)", plate: "Plate", dmsCustomer: "DMS customer code",
    serviceOrder: "DMS service order code", email: "E-mail", search: "Search", clear: "Clear",
    results: "Customers found", name: "Name", cityUF: "City/State", status: "Status", actions: "Actions",
    edit: "Edit", save: "Save", reload: "Reload", printSheet: "Print sheet", close: "Close",
    tabProfile: "Customer profile", tabAddresses: "Additional addresses", tabAssets: "Assets",
    tabPersonal: "Personal ref.", tabBank: "Bank ref.", tabCards: "Credit cards", tabContacts: "Contacts",
    tabInfo: "Additional information", kind: "Kind", individual: "Individual", companyKind: "Company",
    prospect: "Prospect", customer: "Customer", tradeName: "Trade name", employer: "Employer",
    birthDate: "Birth / foundation date", phonesOnePerLine: "Phones (one per line)",
    emailsOnePerLine: "E-mails (one per line)", serviceOrdersOnePerLine: "DMS service orders (one per line)",
    notes: "Notes", sheetTitle: "Customer sheet", print: "Print",
    typeAKey: "Type at least one field to search.", searching: "Searching…",
    found: (n) => n === 1 ? "1 customer found." : `${n} customers found.`,
    foundMore: "There are more results: narrow the search.", noneFound: "No customer found.",
    changeRecord: "Edit record", version: (v, t) => `Version ${v} · updated ${t}`,
    locked: "locked", lockedTitle: "This field cannot be changed in this record.",
    saved: "Record saved.", entrySaved: "Entry added.", entryChanged: "Entry changed.", entryRemoved: "Entry removed.",
    fixFields: "Nothing was saved: correct the fields shown.",
    conflict: "Someone else, or another window, changed this record after you opened it. Nothing was saved. Click Reload to see the current version and make your change again.",
    notFound: "This record no longer exists.", failed: "That did not work. Try again.",
    unsaved: "There are unsaved changes. Discard them?", confirmRemove: "Remove this entry?",
    include: "Add", change: "Edit", remove: "Remove", none: "No entries.",
    includeAddress: "Add address", cep: "CEP", lookupCEP: "Look up CEP", street: "Street", number: "Number",
    complement: "Complement", district: "District", city: "City", uf: "State", purposes: "Purpose",
    correspondence: "Correspondence", billing: "Billing", cepFound: "Address filled in from the CEP.",
    cepNotFound: "CEP not found.", cepDown: "CEP lookup unavailable: type the address.",
    description: "Description", assetKind: "Kind", vehicle: "Vehicle", realEstate: "Real estate", other: "Other",
    year: "Year", lienBalance: "Lien (balance owed)", creditor: "Creditor", payoffDate: "Payoff date",
    value: "Value (paid off)", renavam: "RENAVAM", note: "Note", bankCode: "Bank (code)", branch: "Branch",
    branchDigit: "Branch digit", account: "Account", accountDigit: "Account digit", cardNumber: "Card number",
    cardNumberHelp: "The full number is sent once; only the brand, the first 6 and the last 4 digits are kept.",
    holder: "Name on card", expiryMonth: "Expiry (month)", expiryYear: "Expiry (year)", card: "Card",
    role: "Role", birthday: "Birthday", day: "Day", month: "Month", fleetManager: "Fleet manager",
    preferredDay: "Day to call", preferredHour: "Hour to call", anyDay: "Any day",
    weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    yes: "Yes", no: "No", choose: "—", infoSaved: "Additional information is saved with the record (Save).",
    entryTitles: { addresses: "Address", assets: "Asset", personal_references: "Personal reference", bank_references: "Bank reference", cards: "Credit card", contacts: "Contact" },
    tabConsent: "Consent", consentCaption: "Consent in force", consentChannel: "Channel", consentPurpose: "Purpose",
    consentState: "State", consentSince: "Since", consentNone: "No consent recorded: without a record, no message is sent.",
    cancelSMS: "Cancel SMS", confirmCancelSMS: "Stop text messages to this customer, for every purpose?",
    smsCancelled: "SMS cancelled: the customer's phones receive no more text messages.", consentRecord: "Record the customer's statement",
    consentNotice: "Notice shown", consentReference: "Reference (signed form number)", consentSave: "Record",
    consentSaved: "Statement recorded.", chCall: "Phone call", chPost: "Post", pMarketing: "Offers and news",
    pService: "Service notices and recalls", pSurveys: "Satisfaction surveys", sGranted: "granted", sDenied: "denied", sWithdrawn: "withdrawn",
  },
};

const weekdayValues = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const ufs = ["AC", "AL", "AM", "AP", "BA", "CE", "DF", "ES", "GO", "MA", "MG", "MS", "MT", "PA", "PB", "PE", "PI", "PR", "RJ", "RN", "RO", "RR", "RS", "SC", "SE", "SP", "TO"];

let lang = localStorage.getItem("ficha.lang") || "pt-BR";
const t = (key) => texts[lang][key] ?? texts["pt-BR"][key] ?? key;
const $ = (sel, root = document) => root.querySelector(sel);

// state is the open record: the working copy, its ETag, the locked parts.
const state = { id: null, record: null, etag: null, locked: new Set(), editing: false, dirty: false, infoFields: [] };

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k === "className") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// ---- the API -----------------------------------------------------------

class Problem extends Error {
  constructor(status, body) {
    super(body && body.title ? body.title : `HTTP ${status}`);
    this.status = status;
    this.code = body && body.code;
    this.errors = (body && body.errors) || [];
  }
}

async function call(method, path, { body, etag, raw } = {}) {
  const headers = { "Accept-Language": lang, Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (etag) headers["If-Match"] = etag;
  const res = await fetch(api + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = res.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await res.json() : raw ? await res.text() : null;
  if (!res.ok) throw new Problem(res.status, data);
  return { data, etag: res.headers.get("ETag") };
}

// ---- masks ---------------------------------------------------------------

const digits = (s) => s.replace(/\D/g, "");

function maskTaxID(v) {
  const s = v.toUpperCase().replace(/[^0-9A-Z]/g, "").slice(0, 14);
  if (/^\d{0,11}$/.test(s)) {
    return s.replace(/^(\d{3})(\d)/, "$1.$2").replace(/^(\d{3})\.(\d{3})(\d)/, "$1.$2.$3").replace(/\.(\d{3})(\d{1,2})$/, ".$1-$2");
  }
  // A CNPJ, numeric or alphanumeric: AA.AAA.AAA/AAAA-00.
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (i === 2 || i === 5) out += ".";
    if (i === 8) out += "/";
    if (i === 12) out += "-";
    out += s[i];
  }
  return out;
}

function maskCEP(v) {
  const d = digits(v).slice(0, 8);
  return d.length > 5 ? d.slice(0, 5) + "-" + d.slice(5) : d;
}

// maskPhone formats a Brazilian number once it is typed in full:
// (11) 98765-4321, (11) 3333-2222, 0800 123 4567. Once the number is complete, what follows
// (an extension: "r. 45", "ramal 45") is kept as typed; a foreign number
// (+1 ...) is left alone.
function maskPhone(v) {
  const typed = v.trimStart();
  if (typed.startsWith("+") && !typed.startsWith("+55")) return v;
  let rest = typed.startsWith("+55") ? typed.slice(3) : typed;
  // Take the number's digits up to its full length; the rest is the tail.
  let d = "";
  let i = 0;
  const full = () => {
    if (d.startsWith("0")) return d.length >= 11;
    return d.length >= (d.length > 2 && d[2] === "9" ? 11 : 10);
  };
  for (; i < rest.length && !full(); i++) {
    if (/\d/.test(rest[i])) d += rest[i];
    else if (d.length && /[a-z;]/i.test(rest[i])) break; // an extension before the number is complete
  }
  // Until the number is complete it stays as typed: a search may hold
  // a number without its area code, which is no prefix of a full one.
  if (!full()) return v;
  const tail = rest.slice(i).trim();
  let out;
  if (d.startsWith("0")) {
    out = d.replace(/^(\d{4})(\d{0,3})(\d{0,4})$/, "$1 $2 $3").trim();
  } else if (d.length <= 2) {
    out = d.length ? "(" + d : d;
  } else {
    const area = d.slice(0, 2), local = d.slice(2);
    const split = local.length > 8 ? 5 : 4;
    out = `(${area}) ` + (local.length > split ? local.slice(0, split) + "-" + local.slice(split) : local);
  }
  return tail ? `${out} ${tail}` : out;
}

function maskPlate(v) {
  const s = v.toUpperCase().replace(/[^0-9A-Z]/g, "").slice(0, 7);
  // The old pattern ABC-1234 shows a dash; Mercosul's ABC1D23 does not.
  return /^[A-Z]{3}\d{4}$/.test(s) ? s.slice(0, 3) + "-" + s.slice(3) : s;
}

const masks = { taxid: maskTaxID, cep: maskCEP, phone: maskPhone, plate: maskPlate, upper: (v) => v.toUpperCase().replace(/\s/g, "") };

function applyMask(input) {
  const m = masks[input.dataset.mask];
  if (!m || input.readOnly) return;
  const before = input.value;
  const after = m(before);
  if (after !== before) input.value = after;
}

document.addEventListener("input", (e) => {
  if (e.target.dataset && e.target.dataset.mask) applyMask(e.target);
  if (e.target.closest && e.target.closest("#profile, #info-form")) {
    state.dirty = true;
    clearError(e.target);
  }
});

// ---- display -----------------------------------------------------------

function formatTaxID(s) { return s ? maskTaxID(s) : ""; }

function formatPhone(s) {
  if (!s) return "";
  const [num, ext] = s.split(";ext=");
  const shown = num.startsWith("+55") || num.startsWith("0") ? maskPhone(num) : num;
  return ext ? `${shown} r. ${ext}` : shown;
}

function formatWhen(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString(lang, { dateStyle: "short", timeStyle: "short" });
}

function translate() {
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll("[data-t]")) {
    const v = t(e.dataset.t);
    if (typeof v === "string") e.textContent = v;
  }
  $("#sheet-frame").title = t("sheetTitle");
  $("#tabs").setAttribute("aria-label", t("recordSections"));
  document.title = "Ficha — " + t("title");
}

function message(target, text, ok) {
  const box = $(target);
  box.replaceChildren();
  box.className = text ? (ok ? "msg-ok" : "msg-bad") : "";
  if (text) box.append(el("p", { text }));
  return box;
}

// ---- the agenda --------------------------------------------------------

async function loadAgenda() {
  const list = $("#agenda-list");
  try {
    const cfg = await (await fetch("/config.json")).json();
    const { data } = await call("GET", `/agenda/day?attendant=${encodeURIComponent(cfg.attendant)}&date=${cfg.today}`);
    list.replaceChildren();
    const items = data.items || [];
    if (!items.length) list.append(el("li", { text: t("agendaEmpty") }));
    for (const it of items) {
      let who = "";
      try {
        who = (await call("GET", `/customers/${it.customer_id}`)).data.name;
      } catch { /* a deleted customer: the item still shows */ }
      const time = new Date(it.due).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
      list.append(el("li", { className: "agenda-item" },
        el("span", { className: "when", text: time }), el("span", { text: `${who} — ${it.subject} ` }),
        el("button", { type: "button", className: "agenda-open", text: t("open"), onclick: () => openRecord(it.customer_id) })));
    }
  } catch {
    list.replaceChildren(el("li", { text: t("failed") }));
  }
}

// ---- search ------------------------------------------------------------

async function search(e) {
  e.preventDefault();
  const form = $("#search-form");
  const q = new URLSearchParams();
  for (const input of form.querySelectorAll("input")) {
    if (input.value.trim()) q.set(input.name, input.value.trim());
  }
  const table = $("#results");
  if (![...q.keys()].length) {
    message("#search-status", t("typeAKey"), false);
    table.hidden = true;
    return;
  }
  message("#search-status", t("searching"), true);
  q.set("limit", "20");
  try {
    const { data } = await call("GET", "/customers/search?" + q.toString());
    showResults(data.items || [], Boolean(data.next));
  } catch (err) {
    table.hidden = true;
    showProblem("#search-status", err);
  }
}

function showResults(items, more) {
  const table = $("#results");
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const s of items) {
    const row = el("tr", { tabindex: "0", "data-id": s.id, ondblclick: () => openRecord(s.id),
      onkeydown: (e) => { if (e.key === "Enter") openRecord(s.id); } },
      el("td", { text: s.name + (s.trade_name ? ` (${s.trade_name})` : "") }),
      el("td", { text: formatTaxID(s.tax_id) }),
      el("td", { text: formatPhone(s.phone) }),
      el("td", { text: s.plate ? maskPlate(s.plate) : "" }),
      el("td", { text: s.city ? `${s.city}/${s.uf}` : "" }),
      el("td", { text: t(s.status) }),
      el("td", {}, el("button", { type: "button", className: "open-btn", text: t("changeRecord"), onclick: () => openRecord(s.id) })));
    body.append(row);
  }
  table.hidden = items.length === 0;
  const status = items.length ? t("found")(items.length) + (more ? " " + t("foundMore") : "") : t("noneFound");
  message("#search-status", status, items.length > 0);
}

// ---- the record --------------------------------------------------------

async function openRecord(id, reloading) {
  if (!reloading && state.dirty && state.id && !confirm(t("unsaved"))) return;
  try {
    const [{ data, etag }, lockInfo] = await Promise.all([call("GET", `/customers/${id}`), call("GET", `/customers/${id}/locked`)]);
    state.id = id;
    state.record = data;
    state.etag = etag;
    state.locked = new Set(lockInfo.data.locked);
    state.editing = false;
    state.dirty = false;
    await loadInfoFields(data.kind);
    $("#record").hidden = false;
    message("#record-message", "");
    message("#consent-message", "");
    render();
    loadConsent();
    $("#record-title").focus?.();
    $("#record").scrollIntoView({ block: "start" });
  } catch (err) {
    if (!reloading) return showProblem("#search-status", err);
    // The record stays as it was, unsaved changes included; a record
    // deleted meanwhile can no longer be saved.
    if (err instanceof Problem && err.status === 404) setEditing(false);
    showProblem("#record-message", err, "record");
  }
}

async function loadInfoFields(kind) {
  try {
    state.infoFields = (await call("GET", `/info/fields?kind=${kind}`)).data.fields;
  } catch {
    state.infoFields = [];
  }
}

function render() {
  const c = state.record;
  $("#record-title").textContent = c.name + (c.tax_id ? " — " + formatTaxID(c.tax_id) : "");
  $("#record-title").tabIndex = -1;
  $("#record-meta").textContent = t("version")(c.version, formatWhen(c.updated_at));
  fillProfile();
  for (const panel of document.querySelectorAll("[data-list]")) {
    if (panel.getAttribute("role") === "tabpanel") renderList(panel.dataset.list);
  }
  renderInfo();
  setEditing(state.editing);
  clearErrors();
}

function fillProfile() {
  const c = state.record;
  for (const input of document.querySelectorAll("#profile [data-path]")) {
    const v = c[input.dataset.path];
    if (input.dataset.list) {
      const list = v || [];
      input.value = input.dataset.path === "phones" ? list.map(formatPhone).join("\n") : list.join("\n");
    } else if (input.dataset.path === "tax_id") {
      input.value = formatTaxID(v || "");
    } else {
      input.value = v ?? "";
    }
  }
}

// readProfile copies the profile form into the working copy.
function readProfile() {
  const c = state.record;
  for (const input of document.querySelectorAll("#profile [data-path]")) {
    const path = input.dataset.path;
    if (input.dataset.list) {
      c[path] = input.value.split("\n").map((s) => s.trim()).filter(Boolean);
    } else {
      c[path] = input.value.trim();
    }
  }
  const info = { ...(c.info || {}) };
  for (const input of document.querySelectorAll("#info-form [data-key]")) {
    const v = input.value.trim();
    if (v) info[input.dataset.key] = v;
    else delete info[input.dataset.key];
  }
  c.info = info;
}

function setEditing(on) {
  state.editing = on;
  for (const input of document.querySelectorAll("#profile [data-path], #info-form [data-key]")) {
    const top = input.dataset.path ? input.dataset.path.split(/[.[]/)[0] : "info";
    const locked = state.locked.has(top);
    const field = input.closest(".field");
    field.querySelector(".locked-note")?.remove();
    if (input.tagName === "SELECT") input.disabled = !on || locked;
    else input.readOnly = !on || locked;
    input.classList.toggle("locked", locked);
    if (locked) {
      input.title = t("lockedTitle");
      field.append(el("span", { className: "locked-note", text: t("locked") }));
    } else {
      input.removeAttribute("title");
    }
  }
  for (const b of document.querySelectorAll(".entry-btn")) b.disabled = !on || state.locked.has(b.dataset.list);
  $("#save-btn").disabled = !on;
  $("#edit-btn").disabled = on;
}

// ---- errors next to fields -------------------------------------------------

function clearError(input) {
  input.removeAttribute("aria-invalid");
  const field = input.closest(".field");
  if (field) field.querySelector(".error")?.remove();
}

function clearErrors() {
  for (const e of document.querySelectorAll(".error")) e.remove();
  for (const e of document.querySelectorAll("[aria-invalid]")) e.removeAttribute("aria-invalid");
  for (const e of document.querySelectorAll("[role=tab].has-error")) e.classList.remove("has-error");
}

function showFieldError(input, text) {
  const field = input.closest(".field");
  input.setAttribute("aria-invalid", "true");
  const id = (input.id || "x") + "-error";
  let box = field.querySelector(".error");
  if (!box) {
    box = el("span", { className: "error", id });
    field.append(box);
  }
  box.textContent = box.textContent ? box.textContent + " " + text : text;
  input.setAttribute("aria-describedby", id);
}

// showErrors places each error of a 422 next to its field; what has no
// field on screen is listed in the record's message.
function showErrors(errors, scope) {
  const rest = [];
  let first = null;
  for (const e of errors) {
    const input = findInput(e.path, scope);
    if (input) {
      const line = e.path.match(/^(?:[a-z_]+\[\d+\]\.)?(?:phones|emails|service_orders)\[(\d+)\]$/);
      showFieldError(input, line ? `${Number(line[1]) + 1}: ${e.message}` : e.message);
      first = first || input;
    } else {
      rest.push(e);
    }
    // Mark the tab that holds the field, so an error on a tab not shown
    // is not missed.
    if (scope !== "entry") {
      const panel = input ? input.closest("[role=tabpanel]") : $(`#tab-${e.path.split(/[.[]/)[0]}`);
      if (panel) $(`#${panel.id}-btn`).classList.add("has-error");
    }
  }
  if (first) {
    const panel = first.closest("[role=tabpanel]");
    if (panel && panel.hidden) selectTab($(`#${panel.id}-btn`));
    first.focus();
  }
  return rest;
}

function findInput(path, scope) {
  if (scope === "entry") {
    // The path inside the entry: "cep", "expiry", "lien.balance", "phones[1]".
    const sub = path.replace(/^[a-z_]+\[\d+\]\.?/, "");
    if (!sub) return null;
    const top = sub.split(/[.[]/)[0];
    return $(`#entry-fields [data-field="${CSS.escape(sub)}"]`) ||
      $(`#entry-fields [data-field^="${CSS.escape(sub)}."]`) || // a group: expiry -> expiry.month
      $(`#entry-fields [data-field="${CSS.escape(top)}"]`); // a list: phones[1] -> phones
  }
  if (scope === "consent") return $(`#consent-form [data-path="${CSS.escape(path)}"]`);
  if (path.startsWith("info.")) return $(`#info-form [data-key="${CSS.escape(path.slice(5))}"]`);
  const top = path.split(/[.[]/)[0];
  if (["phones", "emails", "service_orders"].includes(top)) return $(`#profile [data-path="${top}"]`);
  return $(`#profile [data-path="${CSS.escape(path)}"]`);
}

function showProblem(target, err, scope) {
  if (!(err instanceof Problem)) return message(target, t("failed"), false);
  if (err.status === 412) {
    message(target, t("conflict"), false).classList.add("conflict");
    return;
  }
  if (err.status === 422) {
    const rest = showErrors(err.errors, scope);
    const box = message(target, t("fixFields"), false);
    if (rest.length) box.append(el("ul", {}, ...rest.map((e) => el("li", { text: `${e.path}: ${e.message}` }))));
    return;
  }
  if (err.status === 404 && err.code === "not_found") return message(target, t("notFound"), false);
  const box = message(target, err.message || t("failed"), false);
  if (err.errors.length) box.append(el("ul", {}, ...err.errors.map((e) => el("li", { text: `${e.path}: ${e.message}` }))));
}

// ---- saving ----------------------------------------------------------------

async function save() {
  clearErrors();
  readProfile();
  try {
    const { data, etag } = await call("PUT", `/customers/${state.id}`, { body: state.record, etag: state.etag });
    state.record = data;
    state.etag = etag;
    state.dirty = false;
    state.locked = new Set((await call("GET", `/customers/${state.id}/locked`)).data.locked);
    render();
    setEditing(false);
    message("#record-message", t("saved"), true);
  } catch (err) {
    showProblem("#record-message", err, "record");
  }
}

async function reload() {
  if (state.dirty && !confirm(t("unsaved"))) return;
  await openRecord(state.id, true);
}

// ---- sub-record lists ------------------------------------------------------

// Each list: its columns, and the fields of its entry form. A field's name
// is its path inside the entry ("lien.balance", "expiry.month").
const lists = {
  addresses: {
    addLabel: "includeAddress",
    columns: [["cep", (a) => maskCEP(a.cep)], ["street", (a) => [a.street, a.number, a.complement].filter(Boolean).join(", ")],
      ["district", (a) => a.district], ["cityUF", (a) => `${a.city}/${a.uf}`],
      ["purposes", (a) => (a.purposes || "").split(",").filter(Boolean).map((p) => t(p)).join(", ")]],
    fields: [
      { name: "cep", label: "cep", mask: "cep", lookup: true }, { name: "street", label: "street" }, { name: "number", label: "number" },
      { name: "complement", label: "complement" }, { name: "district", label: "district" }, { name: "city", label: "city" },
      { name: "uf", label: "uf", options: () => ufs.map((u) => [u, u]) },
      { name: "purposes", label: "purposes", checks: [["correspondence", "correspondence"], ["billing", "billing"]] },
    ],
  },
  assets: {
    columns: [["description", (a) => a.description], ["assetKind", (a) => t({ vehicle: "vehicle", real_estate: "realEstate", other: "other" }[a.kind] || a.kind)],
      ["year", (a) => a.year || ""], ["plate", (a) => (a.plate ? maskPlate(a.plate) : "")], ["value", (a) => a.value]],
    fields: [
      { name: "description", label: "description" },
      { name: "kind", label: "assetKind", options: () => [["vehicle", t("vehicle")], ["real_estate", t("realEstate")], ["other", t("other")]] },
      { name: "year", label: "year", type: "number" }, { name: "lien.balance", label: "lienBalance", mode: "decimal" },
      { name: "lien.creditor", label: "creditor" }, { name: "lien.payoff_date", label: "payoffDate", type: "date" },
      { name: "value", label: "value", mode: "decimal" }, { name: "vin", label: "vin", mask: "upper" },
      { name: "plate", label: "plate", mask: "plate" }, { name: "renavam", label: "renavam" },
    ],
  },
  personal_references: {
    columns: [["name", (r) => r.name], ["phone", (r) => formatPhone(r.phone)], ["note", (r) => r.note || ""]],
    fields: [{ name: "name", label: "name" }, { name: "phone", label: "phone", mask: "phone" }, { name: "note", label: "note" }],
  },
  bank_references: {
    columns: [["bankCode", (b) => b.code], ["branch", (b) => b.branch + (b.branch_digit ? "-" + b.branch_digit : "")],
      ["account", (b) => b.account + (b.account_digit ? "-" + b.account_digit : "")]],
    fields: [{ name: "code", label: "bankCode" }, { name: "branch", label: "branch" }, { name: "branch_digit", label: "branchDigit" },
      { name: "account", label: "account" }, { name: "account_digit", label: "accountDigit" }],
  },
  cards: {
    columns: [["card", (c) => `${c.brand || ""} •••• •••• •••• ${c.last4 || ""}`.trim()], ["holder", (c) => c.holder || ""],
      ["expiryMonth", (c) => (c.expiry && c.expiry.month ? `${String(c.expiry.month).padStart(2, "0")}/${c.expiry.year}` : "")]],
    // A stored card is never sent back with its number: a change keeps
    // brand, BIN and last four, and replaces holder and expiry.
    fields: [{ name: "number", label: "cardNumber", help: "cardNumberHelp", newOnly: true, mode: "numeric" }, { name: "holder", label: "holder" },
      { name: "expiry.month", label: "expiryMonth", type: "number" }, { name: "expiry.year", label: "expiryYear", type: "number" }],
  },
  contacts: {
    columns: [["name", (c) => c.name], ["role", (c) => c.role || ""], ["phone", (c) => formatPhone((c.phones || [])[0])],
      ["email", (c) => c.email || ""], ["fleetManager", (c) => (c.fleet_manager ? t("yes") : "")]],
    fields: [
      { name: "name", label: "name" }, { name: "role", label: "role" }, { name: "phones", label: "phone", mask: "phone", list: true },
      { name: "email", label: "email", type: "email" }, { name: "birthday.day", label: "day", type: "number" },
      { name: "birthday.month", label: "month", type: "number" }, { name: "birthday.year", label: "year", type: "number" },
      { name: "fleet_manager", label: "fleetManager", checkbox: true },
      { name: "preferred_day", label: "preferredDay", options: () => [["", t("anyDay")], ...weekdayValues.map((d, i) => [d, t("weekdays")[i]])] },
      { name: "preferred_hour", label: "preferredHour", type: "number" },
    ],
  },
};

function renderList(name) {
  const spec = lists[name];
  const panel = $(`#tab-${name}`);
  const entries = state.record[name] || [];
  const table = el("table", { className: "entries", "data-list": name },
    el("thead", {}, el("tr", {}, ...spec.columns.map(([label]) => el("th", { scope: "col", text: t(label) })), el("th", { scope: "col" }, el("span", { className: "sr", text: t("actions") })))));
  const body = el("tbody");
  entries.forEach((entry, i) => {
    body.append(el("tr", { "data-index": String(i) }, ...spec.columns.map(([, show]) => el("td", { text: String(show(entry) ?? "") })),
      el("td", {},
        el("button", { type: "button", className: "entry-btn change-btn", "data-list": name, text: t("change"), onclick: () => openEntry(name, i) }),
        " ",
        el("button", { type: "button", className: "entry-btn remove-btn", "data-list": name, text: t("remove"), onclick: () => removeEntry(name, i) }))));
  });
  table.append(body);
  panel.replaceChildren(
    el("div", { className: "toolbar" }, el("button", { type: "button", className: "entry-btn add-btn", "data-list": name, text: t(spec.addLabel || "include"), onclick: () => openEntry(name, -1) })),
    entries.length ? table : el("p", { text: t("none") }));
}

const getPath = (o, path) => path.split(".").reduce((v, k) => (v == null ? undefined : v[k]), o);
function setPath(o, path, v) {
  const keys = path.split(".");
  let cur = o;
  for (const k of keys.slice(0, -1)) cur = cur[k] = cur[k] || {};
  cur[keys[keys.length - 1]] = v;
}

// entryDialog is the entry being edited: its list and index (-1 for new).
let entryDialog = null;

function openEntry(name, index) {
  const spec = lists[name];
  const entry = index >= 0 ? state.record[name][index] : {};
  entryDialog = { name, index };
  $("#entry-title").textContent = `${t("entryTitles")[name]} — ${index >= 0 ? t("change") : t("include")}`;
  const box = $("#entry-fields");
  box.replaceChildren();
  for (const f of spec.fields) {
    if (f.newOnly && index >= 0) continue;
    const id = `e-${f.name.replace(/\./g, "-")}`;
    let input;
    if (f.options) {
      input = el("select", { id, "data-field": f.name }, ...f.options().map(([v, label]) => el("option", { value: v, text: label })));
      input.value = getPath(entry, f.name) ?? f.options()[0][0];
    } else if (f.checks) {
      const chosen = (getPath(entry, f.name) || "").split(",");
      input = el("div", { className: "checks", id, "data-field": f.name, role: "group", "aria-label": t(f.label) },
        ...f.checks.map(([v, label]) => el("label", {}, el("input", { type: "checkbox", value: v, id: `${id}-${v}`, checked: chosen.includes(v) }), " " + t(label))));
    } else if (f.checkbox) {
      input = el("input", { id, type: "checkbox", "data-field": f.name, checked: Boolean(getPath(entry, f.name)) });
    } else {
      let v = getPath(entry, f.name);
      if (f.type === "number" && v === 0) v = ""; // unset: no day, month or year
      if (f.list) v = (v || [])[0];
      if (f.name === "phone" || f.list) v = formatPhone(v);
      if (f.mask === "cep" && v) v = maskCEP(v);
      if (f.mask === "plate" && v) v = maskPlate(v);
      input = el("input", { id, "data-field": f.name, type: f.type || "text", "data-mask": f.mask, inputmode: f.mode });
      input.value = v ?? "";
    }
    const field = el("div", { className: "field" }, input);
    if (f.help) {
      field.append(el("small", { id: id + "-help", text: t(f.help) }));
      input.setAttribute("aria-describedby", id + "-help");
    }
    if (f.lookup) {
      field.append(el("button", { type: "button", id: "cep-lookup", text: t("lookupCEP"), onclick: lookupCEP }));
    }
    if (f.checks) {
      const labelID = id + "-label";
      input.removeAttribute("aria-label");
      input.setAttribute("aria-labelledby", labelID);
      box.append(el("span", { id: labelID, className: "group-label", text: t(f.label) }), field);
    } else {
      box.append(el("label", { for: id, text: t(f.label) }), field);
    }
  }
  message("#entry-message", "");
  $("#entry-dialog").showModal();
  box.querySelector("input, select")?.focus();
}

function readEntry() {
  const { name, index } = entryDialog;
  const spec = lists[name];
  // Start from the stored entry so that what the form does not show (a
  // card's brand and last four, a contact's other phones) is kept.
  const entry = index >= 0 ? structuredClone(state.record[name][index]) : {};
  for (const f of spec.fields) {
    const input = $(`#entry-fields [data-field="${f.name}"]`);
    if (!input) continue;
    let v;
    if (f.checks) v = [...input.querySelectorAll("input:checked")].map((c) => c.value).join(",");
    else if (f.checkbox) v = input.checked;
    else v = input.value.trim();
    if (f.type === "number") v = v === "" ? (f.name === "preferred_hour" ? null : 0) : Number(v);
    if (f.list) {
      const rest = (entry[f.name] || []).slice(1);
      v = v ? [v, ...rest] : rest;
    }
    setPath(entry, f.name, v);
  }
  if (name === "cards" && index < 0 && !entry.number) delete entry.number;
  return entry;
}

async function saveEntry(e) {
  e.preventDefault();
  const { name, index } = entryDialog;
  for (const x of document.querySelectorAll("#entry-fields .error")) x.remove();
  const entry = readEntry();
  try {
    const path = index >= 0 ? `/customers/${state.id}/${name}/${index}` : `/customers/${state.id}/${name}`;
    const { data, etag } = await call(index >= 0 ? "PUT" : "POST", path, { body: entry, etag: state.etag });
    takeList(name, data, etag);
    $("#entry-dialog").close();
    message("#record-message", t(index >= 0 ? "entryChanged" : "entrySaved"), true);
  } catch (err) {
    showProblem("#entry-message", err, "entry");
  }
}

async function removeEntry(name, index) {
  if (!confirm(t("confirmRemove"))) return;
  try {
    const { data, etag } = await call("DELETE", `/customers/${state.id}/${name}/${index}`, { etag: state.etag });
    takeList(name, data, etag);
    message("#record-message", t("entryRemoved"), true);
  } catch (err) {
    showProblem("#record-message", err, "record");
  }
}

// takeList keeps the list the server saved and its new version, and the
// attendant's unsaved changes elsewhere in the working copy.
function takeList(name, saved, etag) {
  state.record[name] = saved[name];
  state.record.version = saved.version;
  state.record.updated_at = saved.updated_at;
  state.etag = etag;
  renderList(name);
  $("#record-meta").textContent = t("version")(saved.version, formatWhen(saved.updated_at));
  setEditing(state.editing);
  $(`#tab-${name} .add-btn`)?.focus(); // the list was drawn anew: keep the keyboard in it
}

async function lookupCEP() {
  const input = $("#e-cep");
  const cep = digits(input.value);
  clearError(input);
  try {
    const { data } = await call("GET", `/cep/${cep}`);
    for (const k of ["street", "district", "city", "uf"]) {
      const f = $(`#e-${k}`);
      if (data[k]) f.value = data[k];
    }
    message("#entry-message", t("cepFound"), true);
    $("#e-number").focus();
  } catch (err) {
    if (err instanceof Problem && err.status === 404) message("#entry-message", t("cepNotFound"), false);
    else if (err instanceof Problem && err.status === 400) showFieldError(input, err.errors[0]?.message || t("cepNotFound"));
    else message("#entry-message", t("cepDown"), false);
  }
}

// ---- additional information ------------------------------------------------

// kindChanged shows the additional-information table of the new kind; the
// values the new kind does not have are dropped from the working copy.
async function kindChanged() {
  readProfile();
  await loadInfoFields(state.record.kind);
  const keep = new Set(state.infoFields.map((f) => f.key));
  state.record.info = Object.fromEntries(Object.entries(state.record.info || {}).filter(([k]) => keep.has(k)));
  renderInfo();
  setEditing(state.editing);
  state.dirty = true;
  message("#record-message", t("kindChanged"), true);
}

function renderInfo() {
  const form = $("#info-form");
  form.replaceChildren();
  const values = state.record.info || {};
  const sections = new Map();
  for (const f of state.infoFields) {
    if (!sections.has(f.section)) sections.set(f.section, { label: f.section_label, fields: [] });
    sections.get(f.section).fields.push(f);
  }
  for (const [, s] of sections) {
    const grid = el("div", { className: "grid" });
    for (const f of s.fields) {
      const id = `i-${f.key}`;
      let input;
      if (f.type === "choice" || f.type === "yes_no") {
        const opts = f.type === "choice" ? f.options.map((o) => [o.value, o.label]) : [["true", t("yes")], ["false", t("no")]];
        input = el("select", { id, "data-key": f.key }, el("option", { value: "", text: t("choose") }), ...opts.map(([v, l]) => el("option", { value: v, text: l })));
      } else {
        input = el("input", { id, "data-key": f.key, type: f.type === "date" ? "date" : "text", inputmode: f.type === "money" || f.type === "number" ? "decimal" : undefined,
          "data-mask": f.type === "cpf" ? "taxid" : f.type === "phone" ? "phone" : undefined, required: f.required });
      }
      input.value = values[f.key] ?? "";
      grid.append(el("label", { for: id, text: f.label + (f.required ? " *" : "") }), el("div", { className: "field" }, input));
    }
    form.append(el("fieldset", {}, el("legend", { text: s.label }), grid));
  }
  form.append(el("p", { className: "locked-note", text: t("infoSaved") }));
}

// ---- consent -------------------------------------------------------------

const channelLabels = { sms: "SMS", whatsapp: "WhatsApp", email: "E-mail", call: "chCall", post: "chPost" };
const purposeLabels = { marketing: "pMarketing", service: "pService", surveys: "pSurveys" };
const stateLabels = { granted: "sGranted", denied: "sDenied", withdrawn: "sWithdrawn" };

// loadConsent shows the statements that stand for the open customer
// (its own, not its contacts').
async function loadConsent() {
  if (!state.id) return;
  const id = state.id;
  try {
    const { data } = await call("GET", `/customers/${id}/consents`);
    if (id !== state.id) return;
    const rows = data.standing.filter((s) => !s.contact).map((s) => el("tr", { "data-channel": s.channel, "data-purpose": s.purpose, "data-state": s.state },
      el("td", { text: t(channelLabels[s.channel] || s.channel) }),
      el("td", { text: t(purposeLabels[s.purpose] || s.purpose) }),
      el("td", { text: t(stateLabels[s.state] || s.state) }),
      el("td", { text: formatWhen(s.since) })));
    $("#consent-table tbody").replaceChildren(...rows);
    $("#consent-table").hidden = rows.length === 0;
    $("#consent-empty").hidden = rows.length > 0;
  } catch (err) {
    showProblem("#consent-message", err, "consent");
  }
}

async function recordConsent(e) {
  e.preventDefault();
  clearErrors();
  const statement = {
    channel: $("#c-channel").value, purpose: $("#c-purpose").value, state: $("#c-state").value,
    basis: "consent", source: "desk", evidence: { notice: $("#c-notice").value.trim(), reference: $("#c-reference").value.trim() },
  };
  try {
    await call("POST", `/customers/${state.id}/consents`, { body: { statements: [statement] } });
    message("#consent-message", t("consentSaved"), true);
    $("#c-reference").value = "";
    await loadConsent();
  } catch (err) {
    if (err instanceof Problem && err.status === 422) {
      // Paths come as statements[0].evidence.notice: the form's own.
      err.errors = err.errors.map((x) => ({ ...x, path: x.path.replace(/^statements\[0\]\./, "") }));
    }
    showProblem("#consent-message", err, "consent");
  }
}

async function cancelSMS() {
  if (!confirm(t("confirmCancelSMS"))) return;
  try {
    await call("POST", `/customers/${state.id}/opt-out`, { body: { channels: ["sms"], source: "desk" } });
    message("#consent-message", t("smsCancelled"), true);
    await loadConsent();
  } catch (err) {
    showProblem("#consent-message", err, "consent");
  }
}

// ---- tabs, dialogs, printing -------------------------------------------

function selectTab(tab) {
  for (const b of document.querySelectorAll("[role=tab]")) {
    const on = b === tab;
    b.setAttribute("aria-selected", String(on));
    b.tabIndex = on ? 0 : -1;
    $("#" + b.getAttribute("aria-controls")).hidden = !on;
  }
}

function printSheet() {
  const frame = $("#sheet-frame");
  frame.src = `${api}/customers/${state.id}/sheet?lang=${encodeURIComponent(lang)}`;
  $("#sheet-dialog").showModal();
}

function closeRecord() {
  if (state.dirty && !confirm(t("unsaved"))) return;
  Object.assign(state, { id: null, record: null, etag: null, dirty: false, editing: false });
  $("#record").hidden = true;
}

document.addEventListener("DOMContentLoaded", () => {
  $("#lang").value = lang;
  $("#lang").addEventListener("change", (e) => {
    lang = e.target.value;
    localStorage.setItem("ficha.lang", lang);
    translate();
    loadAgenda();
    if (state.record) {
      readProfile();
      loadInfoFields(state.record.kind).then(render);
    }
  });
  translate();
  $("#search-form").addEventListener("submit", search);
  $("#search-form").addEventListener("reset", () => { $("#results").hidden = true; message("#search-status", ""); });
  $("#edit-btn").addEventListener("click", () => { setEditing(true); $("#f-name").focus(); });
  $("#f-kind").addEventListener("change", kindChanged);
  $("#save-btn").addEventListener("click", save);
  $("#reload-btn").addEventListener("click", reload);
  $("#close-btn").addEventListener("click", closeRecord);
  $("#print-btn").addEventListener("click", printSheet);
  $("#sheet-print").addEventListener("click", () => $("#sheet-frame").contentWindow.print());
  $("#sheet-close").addEventListener("click", () => $("#sheet-dialog").close());
  $("#entry-form").addEventListener("submit", saveEntry);
  $("#entry-close").addEventListener("click", () => $("#entry-dialog").close());
  // What was typed in a dialog (a card's number) does not stay in the page.
  $("#entry-dialog").addEventListener("close", () => $("#entry-fields").replaceChildren());
  $("#tabs").addEventListener("click", (e) => { if (e.target.getAttribute("role") === "tab") selectTab(e.target); });
  $("#consent-form").addEventListener("submit", recordConsent);
  $("#cancel-sms-btn").addEventListener("click", cancelSMS);
  $("#tabs").addEventListener("keydown", (e) => {
    const tabs = [...document.querySelectorAll("[role=tab]")];
    const i = tabs.indexOf(document.activeElement);
    const moves = { ArrowRight: i + 1, ArrowLeft: i - 1 + tabs.length, Home: 0, End: tabs.length - 1 };
    if (i < 0 || !(e.key in moves)) return;
    e.preventDefault();
    const next = tabs[moves[e.key] % tabs.length];
    next.focus();
    selectTab(next);
  });
  document.querySelectorAll("[role=tab]").forEach((b, i) => { b.tabIndex = i === 0 ? 0 : -1; });
  loadAgenda();
});
