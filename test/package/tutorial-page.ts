/**
 * A static tutorial page as an author would write it: prose, and marked code blocks that share
 * one scope (`data-scope="tour"`), one that depends on an earlier one, one that draws a chart,
 * one with a syntax error and one that throws. It includes the drop-in script twice, as a page
 * assembled from templates might; `EMBED` is where the script is served.
 */
export function tutorialPage(embed: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Squares, in parallel</title>
  <style>
    body { font: 16px/1.5 Georgia, serif; max-width: 720px; margin: 2em auto; color: #222; background: #fff; }
    @media (prefers-color-scheme: dark) { body { color: #ddd; background: #111; } }
  </style>
  <script type="module" src="${embed}"></script>
</head>
<body>
  <h1>Squares, in parallel</h1>
  <p>First, a remote function.</p>
  <pre data-raybox data-scope="tour" id="setup">const square = raybox.remote((x) => x * x);
const xs = [1, 2, 3, 4];</pre>
  <p>Each call becomes a task on a worker.</p>
  <pre data-raybox data-scope="tour" id="squares" data-depends="setup">await raybox.get(xs.map((x) => square.remote(x)))</pre>
  <p>Training curves draw as they come.</p>
  <pre data-raybox id="curve">const loss = chart('loss');
for (let step = 0; step < 20; step++) loss.add(step, { loss: 1 / (step + 1) });</pre>
  <p>A typo stays in its block.</p>
  <pre data-raybox data-scope="tour" id="typo">const total = xs.reduce((a, b) => a + b,;</pre>
  <p>So does an error.</p>
  <pre data-raybox data-scope="tour" id="throws">throw new Error('no such dataset: ' + xs.length)</pre>
  <p>And the scope goes on.</p>
  <pre data-raybox data-scope="tour" id="after">xs.map((x) => x * 10)</pre>
  <script type="module" src="${embed}?again"></script>
</body>
</html>
`;
}
