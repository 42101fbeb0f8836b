// Saves text as a file (the exported run) and copies a share link, for RunTools.razor.

export function save(fileName, text) {
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
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
