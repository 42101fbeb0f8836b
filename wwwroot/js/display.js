// Dark and projector modes: the system's colour preference until the user chooses, then the
// choice remembered in this browser (localStorage).

const darkKey = "raftvis-dark";
const projectorKey = "raftvis-projector";

export function load() {
    const saved = localStorage.getItem(darkKey);
    const dark = saved === null ? window.matchMedia("(prefers-color-scheme: dark)").matches : saved === "true";
    const projector = localStorage.getItem(projectorKey) === "true";
    setRootClass(projector);
    return { dark, projector };
}

export function save(dark, projector) {
    localStorage.setItem(darkKey, dark ? "true" : "false");
    localStorage.setItem(projectorKey, projector ? "true" : "false");
    setRootClass(projector);
}

// Projector mode's large type is set on <html> (rem units follow it) by this class, not by an
// `html:has(.app-root.projector)` rule: with :has() on the root, every element the page adds or
// removes (each render batch, each message dot) made the browser re-check the whole document.
function setRootClass(projector) {
    document.documentElement.classList.toggle("raft-projector", projector);
}
