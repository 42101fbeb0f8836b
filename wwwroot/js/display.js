// Dark and projector modes: the system's colour preference until the user chooses, then the
// choice remembered in this browser (localStorage).

const darkKey = "raftvis-dark";
const projectorKey = "raftvis-projector";

export function load() {
    const saved = localStorage.getItem(darkKey);
    const dark = saved === null ? window.matchMedia("(prefers-color-scheme: dark)").matches : saved === "true";
    return { dark, projector: localStorage.getItem(projectorKey) === "true" };
}

export function save(dark, projector) {
    localStorage.setItem(darkKey, dark ? "true" : "false");
    localStorage.setItem(projectorKey, projector ? "true" : "false");
}
