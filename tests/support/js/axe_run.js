// Runs axe-core on the page (WebDriver "execute async": the last argument is the callback) with
// the rule tags in arguments[0]; answers the violations and the rules that need a person's
// review, each reduced to what the report prints.
const [tags, done] = arguments;
const brief = (results) =>
  results.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    helpUrl: rule.helpUrl,
    targets: rule.nodes.map((node) => node.target.join(" ")),
  }));
axe
  .run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations", "incomplete"] })
  .then((results) => done({ violations: brief(results.violations), incomplete: brief(results.incomplete) }))
  .catch((err) => done({ failure: String(err) }));
