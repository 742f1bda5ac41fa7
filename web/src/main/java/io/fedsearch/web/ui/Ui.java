package io.fedsearch.web.ui;

import io.fedsearch.web.node.RunningNode;

/** What every page needs: the node, the shared shell, the API client and the admin check. */
record Ui(RunningNode node, Layout layout, PageApi api, AdminSession admin) {
  String platform() {
    return node.local().directory().platform();
  }
}
