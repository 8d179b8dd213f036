document.addEventListener('DOMContentLoaded',function(){var m=document.getElementById('menu');if(m){m.className='ready';}});
