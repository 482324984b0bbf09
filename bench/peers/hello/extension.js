// The floor of activation: what any extension with a command and a status-bar item pays.
const vscode = require('vscode');

exports.activate = (context) => {
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 0);
  item.text = 'Hello Bench';
  item.command = 'helloBench.hello';
  item.show();
  context.subscriptions.push(item, vscode.commands.registerCommand('helloBench.hello', () => vscode.window.showInformationMessage('Hello')));
};
