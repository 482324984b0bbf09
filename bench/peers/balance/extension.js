// A peer the size of the balance extensions users install: one item, one request at activation, a
// refresh timer. It reads the same new-api route as Tokaify (/api/user/self), configured by the bench
// through the environment: BALANCE_BENCH_URL, BALANCE_BENCH_USER, BALANCE_BENCH_TOKEN.
const vscode = require('vscode');

const QUOTA_PER_DOLLAR = 500_000;

exports.activate = (context) => {
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 0);
  item.text = 'Peer: …';
  item.command = 'balanceBench.refresh';
  item.show();
  const { BALANCE_BENCH_URL: url, BALANCE_BENCH_USER: user, BALANCE_BENCH_TOKEN: token } = process.env;
  const refresh = async () => {
    if (!url) return;
    try {
      const response = await fetch(`${url}/api/user/self`, { headers: { authorization: token ?? '', 'new-api-user': user ?? '' } });
      const body = await response.json();
      item.text = `Peer: $${(body.data.quota / QUOTA_PER_DOLLAR).toFixed(2)}`;
    } catch {
      item.text = 'Peer: offline';
    }
  };
  const timer = setInterval(refresh, 5 * 60_000);
  context.subscriptions.push(item, { dispose: () => clearInterval(timer) }, vscode.commands.registerCommand('balanceBench.refresh', refresh));
  void refresh();
};
