// The fssim playground page: a small terminal (line input, history with
// Up/Down, Tab completion, ANSI colors) beside the lab's picture, over
// fssim.wasm (cmd/fssim-wasm). The one request the page makes is for its
// own fssim.wasm; the lab never leaves the page (web_test.go checks it).
"use strict";

const out = document.getElementById("out");
const form = document.getElementById("input");
const input = document.getElementById("line");
const promptLabel = document.getElementById("prompt");
const picture = document.getElementById("picture");
const mainPrompt = "fssim> ";

// ANSI SGR runs to spans: fssim's theme uses bold, faint, italic,
// underline and the eight foreground colors (reset by 0, 22-24, 39).
function appendANSI(text) {
  const frag = document.createDocumentFragment();
  const sgr = /\x1b\[([0-9;]*)m/g;
  let st = { b: false, f: false, i: false, u: false, c: 0 };
  let last = 0;
  const emit = (s) => {
    if (!s) return;
    const cls = [];
    if (st.b) cls.push("b");
    if (st.f) cls.push("f");
    if (st.i) cls.push("i");
    if (st.u) cls.push("u");
    if (st.c) cls.push("c" + st.c);
    if (cls.length === 0) { frag.appendChild(document.createTextNode(s)); return; }
    const span = document.createElement("span");
    span.className = cls.join(" ");
    span.textContent = s;
    frag.appendChild(span);
  };
  for (let m; (m = sgr.exec(text)) !== null;) {
    emit(text.slice(last, m.index));
    last = sgr.lastIndex;
    for (const p of (m[1] || "0").split(";").map(Number)) {
      if (p === 0) st = { b: false, f: false, i: false, u: false, c: 0 };
      else if (p === 1) st.b = true;
      else if (p === 2) st.f = true;
      else if (p === 3) st.i = true;
      else if (p === 4) st.u = true;
      else if (p === 22) { st.b = false; st.f = false; }
      else if (p === 23) st.i = false;
      else if (p === 24) st.u = false;
      else if (p >= 30 && p <= 37) st.c = p;
      else if (p >= 90 && p <= 97) st.c = p - 60;
      else if (p === 39) st.c = 0;
    }
  }
  emit(text.slice(last).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ""));
  out.appendChild(frag);
  out.scrollTop = out.scrollHeight;
}

function echo(prompt, line) {
  const span = document.createElement("span");
  span.className = "echo";
  span.textContent = prompt + line + "\n";
  out.appendChild(span);
}

// Called by fssim.wasm.
window.fssimOutput = (text) => appendANSI(text);
window.fssimPicture = (svg) => {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  const root = doc.documentElement;
  if (root.nodeName !== "svg") return; // a parse error: keep the last picture
  picture.replaceChildren(document.importNode(root, true));
};
// A question (lesson --step's pause, a quiz's answer) or, with "", the
// prompt again.
window.fssimAsk = (p) => {
  promptLabel.textContent = p || mainPrompt;
  promptLabel.classList.toggle("ask", !!p);
  busy = false;
  pump();
};
window.fssimDownload = (name, text) => {
  const types = { svg: "image/svg+xml", dot: "text/vnd.graphviz", mmd: "text/plain", fss: "text/plain" };
  const ext = name.split(".").pop().toLowerCase();
  const url = URL.createObjectURL(new Blob([text], { type: (types[ext] || "text/plain") + ";charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
};

// Lines go to fssim one at a time: the next waits for the prompt (fssimAsk).
const queue = [];
let busy = true; // until fssimReady
function pump() {
  if (busy || queue.length === 0) return;
  const line = queue.shift();
  echo(promptLabel.textContent, line);
  busy = true;
  if (!window.fssimSubmit(line)) {
    busy = false;
    appendANSI("\x1b[31merror: fssim is not taking lines; reload the page\x1b[0m\n");
  }
}
function submit(line) { queue.push(line); pump(); }

// Lab links: ?run=VERBS runs VERBS (a line, verbs split by ';') at load;
// ?lesson=NAME starts lesson NAME, a step at a time.
window.fssimReady = () => {
  input.disabled = false;
  input.placeholder = "";
  input.focus();
  busy = false;
  const q = new URLSearchParams(location.search);
  const run = q.get("run");
  if (run) submit(run.replace(/[\r\n]+/g, "; "));
  const lesson = q.get("lesson");
  if (lesson !== null) {
    if (/^[A-Za-z0-9._-]+$/.test(lesson)) submit("lesson " + lesson + " --step");
    else appendANSI("\x1b[31merror: ?lesson=" + JSON.stringify(lesson) + " is not a lesson name; lessons lists them\x1b[0m\n");
  }
};

// History of typed lines, Up/Down to recall; Tab completes.
const history = [];
let at = 0;
let draft = "";
form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const line = input.value;
  input.value = "";
  if (line.trim() !== "" && history[history.length - 1] !== line) history.push(line);
  at = history.length;
  submit(line);
});
input.addEventListener("keydown", (ev) => {
  if (ev.key === "ArrowUp" && at > 0) {
    if (at === history.length) draft = input.value;
    input.value = history[--at];
  } else if (ev.key === "ArrowDown" && at < history.length) {
    at++;
    input.value = at === history.length ? draft : history[at];
  } else if (ev.key === "Tab") {
    ev.preventDefault();
    complete();
  } else {
    return;
  }
  ev.preventDefault();
  input.setSelectionRange(input.value.length, input.value.length);
});

function complete() {
  if (!window.fssimComplete) return;
  const pos = input.selectionStart;
  const before = input.value.slice(0, pos);
  const [partial, ...cands] = window.fssimComplete(before);
  if (cands.length === 0) return;
  let common = cands[0];
  for (const c of cands) while (!c.startsWith(common)) common = common.slice(0, -1);
  if (common.length > partial.length) {
    const add = common.slice(partial.length) + (cands.length === 1 ? " " : "");
    input.value = before + add + input.value.slice(pos);
    input.setSelectionRange(pos + add.length, pos + add.length);
  } else if (cands.length > 1) {
    echo(promptLabel.textContent, input.value);
    appendANSI(cands.join("  ") + "\n");
  }
}
document.addEventListener("click", (ev) => { if (!window.getSelection().toString() && ev.target.closest("#terminal")) input.focus(); });

// Load fssim.wasm: the page's one request. arrayBuffer rather than
// instantiateStreaming, so a host that serves .wasm without
// application/wasm works too.
(async () => {
  try {
    const go = new Go();
    const resp = await fetch("fssim.wasm");
    if (!resp.ok) throw new Error("fssim.wasm: " + resp.status + " " + resp.statusText);
    const bytes = await resp.arrayBuffer();
    let instance;
    try {
      // Compiled at once, with no wait between the download and the
      // prompt: headless Chromium's --virtual-time-budget (web_test.go)
      // does not wait for an asynchronous compile, and a 5 MB module
      // compiles in a blink. Chromium refuses it above 8 MB on the main
      // thread: then the asynchronous compile.
      instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), go.importObject);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      instance = (await WebAssembly.instantiate(bytes, go.importObject)).instance;
    }
    go.run(instance);
  } catch (err) {
    appendANSI("\x1b[31merror: cannot start fssim: " + err.message + "\x1b[0m\n");
  }
})();
