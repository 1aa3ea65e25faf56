// Liaison: the little script the pages need (no framework, no build step).
// Uploads: drag and drop or choose files; each goes to POST /meetings with an upload progress
// bar; the per-file results (stored, duplicate, error with line) are listed.
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

function showResults(list, files) {
  for (const f of files) {
    const li = document.createElement("li");
    if (f.error) {
      li.className = "bad";
      li.innerHTML = `<strong>${escapeHtml(f.source)}</strong>: ${escapeHtml(f.error)}`;
    } else if (f.duplicate_of) {
      li.className = "dup";
      li.innerHTML = `<strong>${escapeHtml(f.source)}</strong>: already uploaded — <a href="/app/meetings/${f.duplicate_of}">open meeting ${f.duplicate_of}</a>`;
    } else {
      li.className = "ok";
      li.innerHTML = `<strong>${escapeHtml(f.source)}</strong>: stored with ${f.items} item${f.items === 1 ? "" : "s"} — <a href="/app/meetings/${f.meeting_id}">open meeting</a>`;
    }
    list.appendChild(li);
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
  xhr.upload.onload = () => { status.textContent = "Reading, indexing and extracting items…"; };
  xhr.onload = () => {
    bar.value = 100;
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
    if (body && Array.isArray(body.files)) {
      const stored = body.files.filter((f) => !f.error && !f.duplicate_of).length;
      status.textContent = `Done: ${stored} stored, ${body.files.length - stored} not.`;
      showResults(list, body.files);
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
