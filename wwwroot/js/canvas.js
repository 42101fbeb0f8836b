// Moves every message dot and election-timer ring of each <svg class="raft-canvas"> once per
// animation frame. The server renders on change only and publishes, on the svg root, the
// simulated time (data-sim-now, ms), the speed and whether it is paused; this module
// extrapolates "now" between publishes and places each dot at (now - sent) / (arrives - sent)
// of its path. Pause freezes everything because "now" stops moving.

const clocks = new WeakMap();
const maxExtrapolationWallMs = 250; // the server publishes every ~33 ms while running

function simNow(svg, wall) {
    const published = parseFloat(svg.dataset.simNow);
    const speed = parseFloat(svg.dataset.speed) || 0;
    const paused = svg.dataset.paused === "true";
    let c = clocks.get(svg);
    if (!c || published !== c.published) {
        const reset = !c || published < c.published - 1; // a new cluster starts again from 0
        c = { published, wall, shown: reset ? published : c.shown };
        clocks.set(svg, c);
    }
    if (paused || Number.isNaN(published)) {
        c.shown = published;
        return published;
    }
    let now = published + Math.min(wall - c.wall, maxExtrapolationWallMs) * speed;
    if (now < c.shown) now = c.shown; // never run backwards because a publish came in late
    c.shown = now;
    return now;
}

function moveMessages(svg, now) {
    for (const g of svg.querySelectorAll("g.msg[data-sent]")) {
        const sent = parseFloat(g.dataset.sent);
        const arrives = parseFloat(g.dataset.arrives);
        let p = arrives > sent ? (now - sent) / (arrives - sent) : 1;
        p = Math.min(1, Math.max(0, p));
        const x1 = parseFloat(g.dataset.x1), y1 = parseFloat(g.dataset.y1);
        const x2 = parseFloat(g.dataset.x2), y2 = parseFloat(g.dataset.y2);
        const t = `translate(${(x1 + (x2 - x1) * p).toFixed(2)},${(y1 + (y2 - y1) * p).toFixed(2)})`;
        if (g.getAttribute("transform") !== t) g.setAttribute("transform", t);
        if (g.dataset.lost === "true") {
            const o = p > 0.6 ? Math.max(0.1, 1 - (p - 0.6) / 0.4 * 0.9) : 1;
            g.style.opacity = o.toFixed(2);
        }
    }
}

function drainTimers(svg, now) {
    const total = parseFloat(svg.dataset.timeoutMax) || 300;
    for (const ring of svg.querySelectorAll("circle.timer[data-deadline]")) {
        const circ = parseFloat(ring.getAttribute("stroke-dasharray"));
        const left = Math.min(1, Math.max(0, (parseFloat(ring.dataset.deadline) - now) / total));
        const offset = (circ * (1 - left)).toFixed(2);
        if (ring.getAttribute("stroke-dashoffset") !== offset) ring.setAttribute("stroke-dashoffset", offset);
    }
}

function frame(wall) {
    window.__raftFrames = (window.__raftFrames || 0) + 1;
    for (const svg of document.querySelectorAll("svg.raft-canvas")) {
        const now = simNow(svg, wall);
        moveMessages(svg, now);
        drainTimers(svg, now);
    }
    requestAnimationFrame(frame);
}

if (!window.__raftCanvasStarted) {
    window.__raftCanvasStarted = true;
    requestAnimationFrame(frame);
}

export function started() {
    return window.__raftCanvasStarted === true;
}
