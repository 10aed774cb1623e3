// The printable brief: the Print button, and every folded evidence group opened before printing.
document.getElementById("print").addEventListener("click", () => window.print());
window.addEventListener("beforeprint", () => {
  for (const group of document.querySelectorAll("details")) group.open = true;
});
