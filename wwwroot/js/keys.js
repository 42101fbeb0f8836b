// Keyboard shortcuts for the live page: space pauses or plays, "s" steps, "p" projector mode, "?" shows the list.
// Keys typed into a form field are left alone. The page registers one listener per workbench.

function typing(target) {
    if (!target) return false;
    const tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

export function register(dotnet) {
    const handler = (e) => {
        if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
        let key = null;
        if (e.key === " " || e.code === "Space") key = "space";
        else if (e.key === "s" || e.key === "S") key = "s";
        else if (e.key === "?") key = "?";
        else if (e.key === "p" || e.key === "P") key = "p";
        else if (e.key === "Escape") key = "escape";
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
