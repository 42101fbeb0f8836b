// Keyboard shortcuts for the live page: space pauses or plays, "s" steps, "p" projector mode, 1–4 / n / b answer and move a lesson, the arrows move in time
// (Shift for markers), End returns live, "?" shows the list, Escape closes every menu. Keys typed
// into a form field are left alone (but Escape, which types nothing); on the timeline's own scrub the arrows and End are ours, not the slider's 1 ms nudges.
// The page registers one listener per workbench.

function onScrub(target) {
    return target && target.dataset && target.dataset.testid === "timeline-scrub";
}

function typing(target) {
    if (!target) return false;
    const tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

function timeKey(e) {
    if (e.key === "ArrowLeft") return e.shiftKey ? "shift-left" : "left";
    if (e.key === "ArrowRight") return e.shiftKey ? "shift-right" : "right";
    if (e.key === "End") return "end";
    return null;
}

export function register(dotnet) {
    const handler = (e) => {
        if (e.ctrlKey || e.metaKey || e.altKey) return;
        // Escape types nothing: it closes the menus even from a field in one (a link's latency, say).
        if (typing(e.target) && e.key !== "Escape" && !(onScrub(e.target) && timeKey(e))) return;
        let key = timeKey(e);
        if (key !== null) e.preventDefault(); // no scrolling, no slider nudge
        else if (e.key === " " || e.code === "Space") key = "space";
        else if (e.key === "s" || e.key === "S") key = "s";
        else if (e.key === "?") key = "?";
        else if (e.key === "p" || e.key === "P") key = "p";
        else if (e.key === "Escape") key = "escape";
        else if (["1", "2", "3", "4"].includes(e.key)) key = e.key; // a lesson's answers
        else if (e.key === "n" || e.key === "N") key = "n";       // a lesson's next step
        else if (e.key === "b" || e.key === "B") key = "b";       // and back
        if (key === null) return;
        if (key === "space") e.preventDefault(); // no page scroll, no button "click" on a focused button
        dotnet.invokeMethodAsync("OnShortcut", key).catch(() => { });
    };
    document.addEventListener("keydown", handler);
    document.body.dataset.raftKeys = "ready"; // lets a test wait until shortcuts work
    return {
        dispose: () => {
            document.removeEventListener("keydown", handler);
            delete document.body.dataset.raftKeys;
        },
    };
}
