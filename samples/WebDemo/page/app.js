// The page talks to GET /v1/images/stream with fetch (not EventSource) so that it sees 400/429 answers and can cancel
// by aborting the request, which stops the sampler on the server.
"use strict";

const $ = id => document.getElementById(id);
const form = $("form"), cancelButton = $("cancel"), generateButton = $("generate");
const statusLine = $("status"), progress = $("progress"), levels = $("levels");
let running = null;

// What arrived, in order, for tests and the curious: [{ type, step, sizes }].
window.demo = { events: [] };

form.addEventListener("submit", event => {
  event.preventDefault();
  start();
});
cancelButton.addEventListener("click", () => running?.abort());

function setStatus(text, isError = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle("error", isError);
}

function query() {
  const params = new URLSearchParams({ prompt: $("prompt").value.trim() });
  for (const [name, id] of [["seed", "seed"], ["steps", "steps"], ["guidanceScale", "guidance"]]) {
    if ($(id).value !== "") params.set(name, $(id).value);
  }
  return params;
}

async function start() {
  running?.abort();
  const controller = new AbortController();
  running = controller;
  window.demo.events = [];
  generateButton.disabled = true;
  cancelButton.disabled = false;
  $("result").hidden = true;
  progress.value = 0;
  setStatus("Sending…");
  try {
    const response = await fetch("v1/images/stream?" + query(), { signal: controller.signal, headers: { Accept: "text/event-stream" } });
    if (!response.ok) return showProblem(response);
    for await (const { type, data } of events(response.body)) handle(type, JSON.parse(data));
  } catch (error) {
    if (controller.signal.aborted) {
      setStatus("Cancelled.");
      window.demo.events.push({ type: "cancelled" });
    } else {
      setStatus("The connection failed: " + error.message, true);
    }
  } finally {
    if (running === controller) {
      running = null;
      generateButton.disabled = false;
      cancelButton.disabled = true;
    }
  }
}

async function showProblem(response) {
  let problem = {};
  try { problem = await response.json(); } catch { /* not JSON */ }
  const details = problem.errors ? Object.values(problem.errors).flat().join(" ") : problem.detail ?? "";
  const retry = response.headers.get("Retry-After");
  setStatus(`${problem.title ?? response.statusText} ${details}${retry ? ` Retry in ${retry} s.` : ""}`.trim(), true);
  window.demo.events.push({ type: "problem", status: response.status });
}

function handle(type, data) {
  switch (type) {
    case "queued":
      setStatus(`In the queue: position ${data.position}.`);
      break;
    case "started":
      setStatus(`Drawing with seed ${data.seed}…`);
      progress.max = data.steps;
      levels.replaceChildren(...data.levels.map(levelFigure));
      break;
    case "preview":
      progress.value = data.step;
      setStatus(`Step ${data.step} of ${data.total}`);
      for (const level of data.levels) {
        const img = levels.querySelector(`img[data-size="${level.size}"]`);
        img.src = "data:image/png;base64," + level.png;
        img.dataset.step = data.step;
      }
      break;
    case "done":
      showImage(data);
      break;
    case "error":
      setStatus(`${data.title}: ${data.detail}`, true);
      break;
  }
  window.demo.events.push({ type, step: data.step, sizes: data.levels?.map(l => l.size ?? l) });
}

function levelFigure(size) {
  const figure = document.createElement("figure");
  const img = document.createElement("img");
  img.dataset.size = size;
  img.alt = `the ${size}×${size} level`;
  const caption = document.createElement("figcaption");
  caption.textContent = `${size}×${size}`;
  figure.append(img, caption);
  return figure;
}

function showImage(data) {
  const url = "data:image/png;base64," + data.png;
  $("final").src = url;
  $("download").href = url;
  $("download").download = `matryoshka-${data.seed}.png`;
  $("details").textContent = `seed ${data.seed}, ${data.steps} steps, ${data.seconds.toFixed(1)} s`;
  $("result").hidden = false;
  progress.value = progress.max;
  setStatus("Done.");
}

// Server-sent events from a fetch body: blocks separated by a blank line, "event:" and "data:" fields.
async function* events(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = "message", data = [];
      for (const line of block.split("\n")) {
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") type = text;
        else if (field === "data") data.push(text);
      }
      if (data.length) yield { type, data: data.join("\n") };
    }
  }
}
