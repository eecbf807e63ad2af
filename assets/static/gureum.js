/*
 * gureum.js - small progressive enhancements. Every page works without it.
 *
 * 1. An error summary takes focus when the page loads, so screen-reader and
 *    keyboard users hear what went wrong first (GOV.UK pattern).
 * 2. A link in the error summary focuses its field and scrolls the field's
 *    label into view (a plain #anchor jump would hide the label above it).
 */
(function () {
	"use strict";

	var summary = document.querySelector("[data-module='error-summary']");
	if (!summary)
		return;
	summary.focus();

	summary.addEventListener("click", function (ev) {
		var link = ev.target.closest("a[href^='#']");
		var input, label;

		if (!link)
			return;
		input = document.getElementById(link.getAttribute("href").slice(1));
		if (!input)
			return;
		ev.preventDefault();
		label = document.querySelector("label[for='" + input.id + "']");
		(label || input).scrollIntoView({ block: "start" });
		input.focus({ preventScroll: true });
	});
})();
