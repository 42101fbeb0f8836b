// Moves every message dot, link end and election-timer ring of each .raft-canvas once per
// animation frame. The server renders on change only and publishes, on the canvas root, the
// simulated time (data-sim-now, ms), the speed and whether it is paused; this module
// extrapolates "now" between publishes and places each dot at (now - sent) / (arrives - sent)
// of its path. Pause freezes everything because "now" stops moving.
//
// The servers are Blazor.Diagrams nodes: each one's box is a .diagram-node whose offsetLeft/Top
// are its place on the diagram, even while it is dragged or glides into a partition island
// (a CSS transition). Dots and links read the centres from there every frame, so they follow
// without a server render; the server-rendered coordinates are only the starting point.

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

// The centres are read again only after a server's box moved (its style changed) or the servers
// were re-rendered: reading layout every frame would cost a style and layout pass per frame.
const centreCache = new WeakMap(); // root -> { map, observer, dirty }

function centres(root) {
    let c = centreCache.get(root);
    if (!c) {
        c = { map: new Map(), dirty: true, observer: null };
        const layer = root.querySelector(".diagram-canvas") || root;
        c.observer = new MutationObserver(() => { c.dirty = true; });
        c.observer.observe(layer, { attributes: true, attributeFilter: ["style", "class"], subtree: true, childList: true });
        centreCache.set(root, c);
    }
    // While servers glide into islands (a CSS transition), their boxes move with no mutation.
    if (!c.dirty && !root.classList.contains("gliding")) return c.map;
    c.dirty = false;
    c.map = readCentres(root);
    return c.map;
}

function readCentres(root) {
    const map = new Map();
    for (const el of root.querySelectorAll("[data-node-center]")) {
        const box = el.closest(".diagram-node");
        if (!box) continue;
        const half = parseFloat(el.dataset.half) || 0;
        map.set(el.dataset.nodeCenter, { x: box.offsetLeft + half, y: box.offsetTop + half });
    }
    return map;
}

// From a's rim to b's: the straight path between two centres, trimmed by r at each end and
// moved sideways by lane (so a request and its reply use separate lanes).
function rimToRim(a, b, r, lane) {
    const dx = b.x - a.x, dy = b.y - a.y;
    const len = Math.max(1, Math.hypot(dx, dy));
    const ux = dx / len, uy = dy / len;
    const ox = -uy * lane, oy = ux * lane;
    return [a.x + ux * r + ox, a.y + uy * r + oy, b.x - ux * r + ox, b.y - uy * r + oy];
}

function set(el, name, value) {
    const v = value.toFixed(2);
    if (el.getAttribute(name) !== v) el.setAttribute(name, v);
}

const placed = new WeakMap(); // root -> the centres its links were last placed for

function sameCentres(a, b) {
    if (!a || a.size !== b.size) return false;
    for (const [id, p] of b) {
        const q = a.get(id);
        if (!q || Math.abs(q.x - p.x) > 0.05 || Math.abs(q.y - p.y) > 0.05) return false;
    }
    return true;
}

function placeLinks(root, at) {
    // Links move only when a server does (a drag, a glide into an island): skip the frame otherwise,
    // unless the server re-rendered the links (a new link element has no data-placed mark yet).
    const fresh = root.querySelector("g[data-link-ends]:not([data-placed])");
    if (!fresh && sameCentres(placed.get(root), at)) return;
    placed.set(root, at);
    const r = parseFloat(root.dataset.linkRadius) || 50;
    for (const g of root.querySelectorAll("g[data-link-ends]")) {
        const [a, b] = g.dataset.linkEnds.split(",").map(id => at.get(id));
        if (!a || !b) continue;
        const [x1, y1, x2, y2] = rimToRim(a, b, r, 0);
        for (const line of g.querySelectorAll(":scope > line")) {
            set(line, "x1", x1); set(line, "y1", y1); set(line, "x2", x2); set(line, "y2", y2);
        }
        g.setAttribute("data-placed", "");
        const mid = g.querySelector(":scope > g.mid");
        if (mid) {
            const angle = Math.atan2(y2 - y1, x2 - x1) * 180 / Math.PI;
            const t = `translate(${((x1 + x2) / 2).toFixed(2)},${((y1 + y2) / 2).toFixed(2)}) rotate(${angle.toFixed(2)})`;
            if (mid.getAttribute("transform") !== t) mid.setAttribute("transform", t);
        }
    }
}

function moveMessages(svg, now, at) {
    const r = parseFloat(svg.dataset.laneRadius) || 46;
    for (const g of svg.querySelectorAll("g.msg[data-sent]")) {
        const sent = parseFloat(g.dataset.sent);
        const arrives = parseFloat(g.dataset.arrives);
        let p = arrives > sent ? (now - sent) / (arrives - sent) : 1;
        p = Math.min(1, Math.max(0, p));
        let x1 = parseFloat(g.dataset.x1), y1 = parseFloat(g.dataset.y1);
        let x2 = parseFloat(g.dataset.x2), y2 = parseFloat(g.dataset.y2);
        const a = at.get(g.dataset.from), b = at.get(g.dataset.to);
        if (a && b) [x1, y1, x2, y2] = rimToRim(a, b, r, 7);
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
    for (const svg of document.querySelectorAll(".raft-canvas")) {
        const now = simNow(svg, wall);
        const at = centres(svg);
        placeLinks(svg, at);
        moveMessages(svg, now, at);
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
