// "Start a plan": choosing the person preselects the template of their post. Without this file
// the server preselects it from ?personne= and refuses a template of another post.
(function () {
  'use strict';
  var person = document.querySelector('[data-person-select]');
  var template = document.querySelector('[data-template-select]');
  if (!person || !template) return;
  person.addEventListener('change', function () {
    var chosen = person.options[person.selectedIndex];
    var kind = chosen && chosen.getAttribute('data-kind');
    if (!kind) return;
    for (var i = 0; i < template.options.length; i++) {
      if (template.options[i].getAttribute('data-kind') === kind) {
        template.selectedIndex = i;
        return;
      }
    }
  });
})();
