// On a narrow screen the case page's flow diagram scrolls sideways inside its card; start it at the current state
// rather than at 草稿, so the state the case is in is what the reader sees first.
(function () {
  'use strict';
  var card = document.querySelector('.wf-diagram-card');
  var current = card && card.querySelector('.wf-state.current');
  if (!current || card.scrollWidth <= card.clientWidth) { return; }
  var box = card.getBoundingClientRect(), state = current.getBoundingClientRect();
  if (state.left >= box.left && state.right <= box.right) { return; } // already in sight (a wide screen): start at the beginning
  card.scrollLeft += state.left - box.left - (box.width - state.width) / 2;
})();
