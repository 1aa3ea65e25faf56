// Liaison: the little script the pages need (no framework, no build step).
// Uploads: drag and drop or choose files; they go to POST /meetings with an upload progress
// bar; each file then has its own bar, following its job (GET /jobs/{id}) until its result
// (stored, duplicate, error with line) is listed.
"use strict";

function csrfToken() {
  const main = document.querySelector("main[data-csrf]");
  return main ? main.dataset.csrf : "";
}

function escapeHtml(text) {
  const div = document.createElement("div");
  div.textContent = text == null ? "" : String(text);
  return div.innerHTML;
}

function fileLine(li, f) {
  // One file's final line: stored (with a link), already stored, or its error.
  const name = `<strong>${escapeHtml(f.source)}</strong>`;
  const warn = (f.warnings || []).length
    ? `<br><span class="muted small">${escapeHtml(f.warnings.join("; "))}</span>` : "";
  if (f.error) {
    li.className = "bad";
    li.innerHTML = `${name}: ${escapeHtml(f.error)}`;
  } else if (f.duplicate_of) {
    li.className = "dup";
    li.innerHTML = `${name}: already uploaded — <a href="/app/meetings/${f.duplicate_of}">open meeting ${f.duplicate_of}</a>`;
  } else {
    li.className = "ok";
    li.innerHTML = `${name}: stored with ${f.items} item${f.items === 1 ? "" : "s"} — <a href="/app/meetings/${f.meeting_id}">open meeting</a>${warn}`;
  }
}

const STAGE_WORDS = {
  transcribe: "transcribing the recording", parse: "reading", embed: "indexing",
  extract: "finding decisions and actions", store: "storing",
};

function followJob(li, f, done) {
  // A file being ingested by a worker: a progress bar that polls GET /jobs/{id}.
  li.className = "job";
  li.innerHTML = `<strong>${escapeHtml(f.source)}</strong> <progress class="job-progress" max="100" value="0"></progress> <span class="muted job-stage">queued</span>`;
  const bar = li.querySelector("progress");
  const stage = li.querySelector(".job-stage");
  const poll = async () => {
    let job = null;
    try {
      const r = await fetch(`/jobs/${f.job_id}`, { headers: { Accept: "application/json" } });
      if (r.ok) job = await r.json();
    } catch (err) { job = null; }
    if (job && (job.state === "done" || job.state === "failed")) {
      const o = job.outcome || { source: f.source, error: job.error || "failed" };
      fileLine(li, {
        source: f.source, meeting_id: o.meeting ? o.meeting.id : null, duplicate_of: o.duplicate_of,
        items: o.items || 0, error: o.error, warnings: o.warnings || [],
      });
      done(!o.error && !o.duplicate_of);
      return;
    }
    if (job) {
      bar.value = Math.round((job.progress || 0) * 100);
      stage.textContent = job.state === "queued" ? "queued" : (STAGE_WORDS[job.stage] || "starting");
    }
    setTimeout(poll, 700);
  };
  poll();
}

function showResults(list, files, status) {
  let pending = files.length;
  let stored = 0;
  const finished = (ok) => {
    stored += ok ? 1 : 0;
    pending -= 1;
    if (pending === 0) status.textContent = `Done: ${stored} stored, ${files.length - stored} not.`;
  };
  status.textContent = `Reading, indexing and extracting items (${files.length} file${files.length === 1 ? "" : "s"})…`;
  for (const f of files) {
    const li = document.createElement("li");
    list.appendChild(li);
    if (f.job_id && f.state !== "done" && f.state !== "failed") {
      followJob(li, f, finished);
    } else {
      fileLine(li, f);
      finished(!f.error && !f.duplicate_of);
    }
  }
}

function upload(files, form) {
  if (!files.length) return;
  const bar = form.querySelector("#upload-progress");
  const status = form.querySelector("#upload-status");
  const list = form.querySelector("#upload-results");
  const maxBytes = parseFloat(form.dataset.maxMb || "0") * 1024 * 1024;
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (maxBytes && total > maxBytes) {
    // The server refuses it before reading it; say so without sending it.
    status.textContent = `Too large: ${(total / 1048576).toFixed(1)} MB; the limit is ${form.dataset.maxMb} MB in all. Send fewer or smaller files.`;
    return;
  }
  const data = new FormData();
  for (const file of files) data.append("files", file, file.name);
  data.append("wait", "false"); // answer at once; each file's job is followed below
  const xhr = new XMLHttpRequest();
  xhr.open("POST", "/meetings");
  xhr.setRequestHeader("X-CSRF-Token", csrfToken());
  xhr.setRequestHeader("Accept", "application/json");
  bar.hidden = false;
  bar.value = 0;
  status.textContent = `Uploading ${files.length} file${files.length === 1 ? "" : "s"}…`;
  xhr.upload.onprogress = (e) => {
    if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
  };
  xhr.onload = () => {
    bar.value = 100;
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
    if (body && Array.isArray(body.files)) {
      showResults(list, body.files, status);
    } else {
      status.textContent = `Upload failed (${xhr.status}): ${body && body.detail ? body.detail : xhr.statusText}`;
    }
  };
  xhr.onerror = () => { status.textContent = "Upload failed: the server could not be reached."; };
  xhr.send(data);
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("upload");
  if (form) {
    const input = form.querySelector("#files");
    const drop = form.querySelector("#drop");
    input.addEventListener("change", () => { upload(Array.from(input.files), form); input.value = ""; });
    form.addEventListener("submit", (e) => e.preventDefault());
    ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (e) => {
      e.preventDefault(); drop.classList.add("over");
    }));
    ["dragleave", "drop"].forEach((t) => drop.addEventListener(t, (e) => {
      e.preventDefault(); drop.classList.remove("over");
    }));
    drop.addEventListener("drop", (e) => upload(Array.from(e.dataTransfer.files), form));
  }
  // Load a YAML file into the goals textarea (settings page) without a multipart form.
  document.querySelectorAll("input[data-load-into]").forEach((input) => {
    input.addEventListener("change", async () => {
      const target = document.getElementById(input.dataset.loadInto);
      if (input.files[0] && target) target.value = await input.files[0].text();
    });
  });
});
