// Saves text as a file (the exported run, an SVG of the space-time diagram) and copies a share link, for RunTools.razor and SequenceDiagram.

export function save(fileName, text, type = "application/json") {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export async function copy(text) {
    try {
        await navigator.clipboard.writeText(new URL(text, document.baseURI).href);
        return true;
    } catch {
        return false; // no clipboard (an insecure page, a refusal): the link is still there to right-click
    }
}
